"""A first secretary on a phone finds a household of the village, opens it, and reveals a
member's ID number with a reason; the number shows in full only after that, and the
unmasking is in the audit trail."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.support import assert_fits, log_in, press
from zhucun.core.audit import AuditEntry
from zhucun.core.models import User
from zhucun.core.protect import Protector
from zhucun.registry.models import Household, Member

pytestmark = pytest.mark.browser


def _household_of_the_village(site) -> tuple[Household, Member]:
    with site.session() as session:
        village = session.scalars(select(User).where(User.username == "shuji")).one().grants[0].division_code
        household = session.scalars(
            select(Household)
            .where(Household.village_code == village, Household.member_count >= 2)
            .order_by(Household.id)
        ).first()
        head = session.scalars(
            select(Member).where(
                Member.county_code == household.county_code,
                Member.household_id == household.id,
                Member.relation == "02",
            )
        ).one()
        return household, head


def test_first_secretary_reveals_an_id_number_with_a_reason_on_a_phone(open_page, site, shot):
    household, head = _household_of_the_village(site)
    full_number = Protector.of(site.settings).reveal(head.id_cipher)
    page = open_page(phone=True)
    log_in(page, "shuji")
    page.goto("/registry/households")
    expect(page.locator("h1")).to_have_text("农户台账")
    page.get_by_test_id("household-search").fill(household.head_name)
    press(page.locator("form[role=search] button[type=submit]"))
    expect(page.get_by_test_id("households")).to_contain_text(household.head_name)
    assert_fits(page)
    shot(page, "search")
    press(page.get_by_test_id("households").get_by_role("link", name=household.head_name).first)
    expect(page.get_by_test_id("household-head")).to_contain_text(household.head_name)
    assert full_number not in page.content()
    expect(page.get_by_test_id("members")).to_contain_text(head.id_masked)
    assert_fits(page)
    item = page.get_by_test_id("members").locator("li", has_text=head.id_masked)
    press(item.get_by_test_id("reveal-id_number"))
    item.locator("input[name=reason]").fill("办理医保报销核对身份")
    press(item.locator("form button[type=submit]"))
    expect(item.get_by_test_id("revealed")).to_have_text(full_number)
    shot(page, "revealed")
    with site.session() as session:
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "core:person:unmasked").order_by(AuditEntry.at.desc())
        ).first()
        assert entry.reason == "办理医保报销核对身份" and entry.actor_name == "shuji"
        assert entry.entity_id == str(head.id) and full_number not in str(entry.after)
