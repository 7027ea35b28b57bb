"""Pickers on a phone: once a 籍贯 is chosen its box holds the place's name and the full path
(省 › 市 › 县 › 乡 › 村) wraps below it, so the control is never narrower than its text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import PHONE_WIDTH, assert_fits, log_in
from tests.browser.test_layout import CRAMPED

pytestmark = [pytest.mark.browser, pytest.mark.one_backend]


def test_a_chosen_hometown_shows_its_path_below_the_box_on_a_phone(open_page, shot):
    page = open_page(phone=True)
    log_in(page, "zzb")
    page.goto("/registry/cadres/new")
    box = page.get_by_test_id("picker-hometown_code")
    box.fill("村")
    first = page.locator(".picker[data-picker=hometown_code] [data-pick-code]").first
    expect(first).to_be_visible()
    label, detail = first.get_attribute("data-pick-label"), first.get_attribute("data-pick-detail")
    first.click()
    expect(box).to_have_value(label or "")
    shown = page.get_by_test_id("picker-detail-hometown_code")
    expect(shown).to_have_text(detail or "")
    assert detail and " › " in detail and label != detail
    shot(page, "hometown-chosen")
    assert_fits(page, PHONE_WIDTH)
    cramped = [p for p in page.evaluate(CRAMPED) if "hometown" in p]
    assert not cramped, cramped
    # The path wraps inside the screen rather than widening the form.
    right = shown.evaluate("el => el.getBoundingClientRect().right")
    assert right <= PHONE_WIDTH, right
