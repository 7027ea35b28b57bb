"""A dispatching unit assesses its cadre in the browser: the cadre's page shows the profile
tiles, the assessment form opens, five levels are chosen by their words and saved, and the
page then shows them — on a 375 px phone and a 1366 px desktop, nothing wider than the screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import assert_fits, log_in, press
from tests.browser.test_layout import CRAMPED

pytestmark = [pytest.mark.browser, pytest.mark.one_backend]

WIDTHS = {"phone": 375, "desktop": 1366}
CHOSEN = {"political": "优秀", "responsibility": "良好", "ability": "良好", "dedication": "一般", "relations": "良好"}


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_unit_assesses_its_cadre_on_a_phone_and_a_desktop(open_page, shot, width_name):
    width = WIDTHS[width_name]
    page = open_page(phone=True) if width < 600 else open_page(viewport={"width": width, "height": 900})
    log_in(page, "danwei")
    page.goto("/registry/cadres")
    expect(page.get_by_test_id("profile-cell").first).to_be_visible()
    assert_fits(page, width)
    # The second cadre of the list: the phone and the desktop runs assess different people.
    index = 0 if width < 600 else 1
    with page.expect_navigation():
        press(page.get_by_test_id("cadres").locator("li > a").nth(index))
    expect(page.get_by_test_id("profile")).to_be_visible()
    press(page.locator("summary", has_text="考察评价"))
    form = page.get_by_test_id("profile-form")
    for factor, word in CHOSEN.items():
        form.locator(f"select[name={factor}]").select_option(label=word)
    assert_fits(page, width)
    assert page.evaluate(CRAMPED) == []
    shot(page, "profile-form")
    with page.expect_navigation():
        press(form.get_by_role("button"))
    tiles = page.get_by_test_id("profile")
    expect(tiles).to_contain_text("政治素质")
    expect(tiles).to_contain_text("优秀")
    expect(page.get_by_test_id("history-sentence").first).to_contain_text("考察评价了素质")
    assert_fits(page, width)
