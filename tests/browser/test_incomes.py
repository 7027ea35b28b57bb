"""A first secretary on a phone records this year's income of a household of the village
from its page: the total and income per head follow the typing, with the year's monitoring
line and a badge when under it; saved, the change reads in the history. The same form on a
desktop. Screenshots of both are kept for a person to look at."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.browser.support import assert_fits, log_in, press
from zhucun.core.models import User
from zhucun.identification.rules import monitoring_line
from zhucun.registry.models import Household, HouseholdIncome

pytestmark = pytest.mark.browser
YEAR = date.today().year


def _household(site) -> Household:
    with site.session() as session:
        village = session.scalars(select(User).where(User.username == "shuji")).one().grants[0].division_code
        return session.scalars(
            select(Household).where(Household.village_code == village).order_by(Household.id.desc())
        ).first()


def _open_form(page: Page, household: Household, width: int = 375) -> None:
    log_in(page, "shuji")
    page.goto(f"/registry/households/{household.id}")
    assert_fits(page, width)
    press(page.get_by_test_id("record-income"))
    expect(page.get_by_test_id("income-form")).to_be_visible()
    expect(page.locator("h1")).to_contain_text(f"{YEAR}年收入")


def test_first_secretary_records_this_years_income_on_a_phone(open_page, site, shot):
    household = _household(site)
    members = household.member_count or 1
    low_wage = int(monitoring_line(YEAR) * members / 2)
    page = open_page(phone=True)
    _open_form(page, household)
    page.get_by_test_id("income-wage").fill(str(low_wage))
    page.get_by_test_id("income-transfer").fill("0")
    expect(page.get_by_test_id("below-line")).to_be_visible()
    expect(page.get_by_test_id("income-per-head")).to_contain_text(f"{low_wage // members:,}")
    assert_fits(page)
    shot(page, "phone-below-line")
    page.get_by_test_id("income-wage").fill("-5")
    page.locator("input[name=reason]").fill("入户核实收入")
    press(page.get_by_test_id("income-save"))
    expect(page.locator("#wage-error")).to_contain_text("不能小于 0")
    assert_fits(page)
    shot(page, "phone-refused")
    page.get_by_test_id("income-wage").fill(str(low_wage * 4))
    expect(page.get_by_test_id("above-line")).to_be_visible()
    press(page.get_by_test_id("income-save"))
    expect(page.get_by_test_id("household-head")).to_be_visible()
    expect(page.get_by_test_id("history")).to_contain_text(f"{YEAR}年工资性收入")
    expect(page.get_by_test_id(f"edit-income-{YEAR}")).to_be_visible()
    with site.session() as session:
        row = session.get(HouseholdIncome, (household.county_code, household.id, YEAR))
        assert row is not None and row.wage == low_wage * 4


def test_the_income_form_on_a_desktop(open_page, site, shot):
    household = _household(site)
    page = open_page(viewport={"width": 1366, "height": 900})
    _open_form(page, household, 1366)
    page.get_by_test_id("income-wage").fill("30000")
    expect(page.get_by_test_id("income-summary")).to_contain_text("30,000")
    assert_fits(page, 1366)
    shot(page, "desktop")
