"""The village steps of a registration on a phone (375 px): the first secretary opens the
case from the household page, passes data collection and the democratic review by forms,
signs for the work team; the village committee signs from its own account; the notice is
on the village's public page without login, and an objection sent from there reopens the
case at the review, visibly. Screenshots of each step land in test-artifacts/."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.support import assert_fits, log_in, press
from zhucun.core.models import User
from zhucun.identification import rules, service
from zhucun.procedures.models import Case
from zhucun.registry.models import Household, HouseholdIncome

pytestmark = pytest.mark.browser


def _applicant(site) -> tuple[int, str, str]:
    """A household of 花河村 without a case, whose collected income (set here: the team's
    data collection, which this test does not re-enact) is below the monitoring line."""
    with site.session() as session:
        village = session.scalars(select(User).where(User.username == "shuji")).one().grants[0].division_code
        busy = select(Case.household_id)
        with_income = select(HouseholdIncome.household_id)
        household = session.scalars(
            select(Household)
            .where(
                Household.village_code == village,
                Household.id.not_in(busy),
                Household.id.in_(with_income),
                Household.head_name.is_not(None),
            )
            .order_by(Household.id)
        ).first()
        latest = session.scalars(
            select(HouseholdIncome)
            .where(HouseholdIncome.county_code == household.county_code, HouseholdIncome.household_id == household.id)
            .order_by(HouseholdIncome.year.desc())
        ).first()
        latest.wage, latest.production, latest.property, latest.transfer, latest.production_costs = 1500, 500, 0, 0, 0
        session.flush()
        line = rules.monitoring_line(date.today().year)
        assert not rules.failed_registration(service.applicant(session, household), line)
        return household.id, household.head_name, village


def _act(page, testid: str) -> None:
    press(page.get_by_test_id(testid))
    page.wait_for_load_state()


def test_a_registration_passes_the_village_steps_and_an_objection_reopens_it(open_page, site, shot):
    household_id, head, village = _applicant(site)
    page = open_page(phone=True)
    log_in(page, "shuji")
    page.goto(f"/registry/households/{household_id}")
    press(page.get_by_test_id("open-case"))
    page.locator("select[name=kind]").select_option("registration")
    assert_fits(page)
    shot(page, "open")
    _act(page, "open-case")
    expect(page.get_by_test_id("case-title")).to_contain_text(head)
    case_url = page.url
    assert_fits(page)
    shot(page, "collect")
    _act(page, "pass")  # data collection: the rules pass
    page.locator("#review_attendees").fill("32")
    page.locator("#review_votes_for").fill("25")
    page.locator("#review_votes_against").fill("4")
    page.locator("#review_abstaining").fill("3")
    page.locator("#review_minutes").fill("村民代表会议评议，多数同意纳入")
    assert_fits(page)
    shot(page, "review")
    _act(page, "pass")
    expect(page.get_by_test_id("sign-work_team")).to_be_visible()
    assert_fits(page)
    shot(page, "verify")
    _act(page, "sign-work_team")
    expect(page.locator("body")).to_contain_text("签字")
    expect(page.get_by_test_id("form-error")).to_have_count(0)
    shot(page, "signed-work-team")

    committee = open_page(phone=True)
    log_in(committee, "cunwei")
    committee.goto(case_url)
    expect(committee.get_by_test_id("sign-village_committee")).to_be_visible()
    _act(committee, "sign-village_committee")
    expect(committee.get_by_test_id("steps")).to_contain_text("公示")
    assert_fits(committee)
    shot(committee, "signed")

    public = open_page(phone=True)
    public.goto(f"/public/villages/{village}/notices")
    expect(public.get_by_test_id("notices")).to_contain_text(head)
    assert_fits(public)
    shot(public, "public-notices")
    press(public.get_by_test_id("notices").get_by_role("link").first)
    public.locator("textarea[name=text]").fill("该户家中有经营性货车，收入不实")
    assert_fits(public)
    shot(public, "objection")
    _act(public, "send-objection")
    expect(public.get_by_test_id("objection-received")).to_be_visible()

    page.goto(case_url)
    # On a phone the objection is far below the action form: the top of the page says so.
    expect(page.get_by_test_id("objection-alert")).to_be_visible()
    expect(page.get_by_test_id("objections")).to_contain_text("收入不实")
    expect(page.get_by_test_id("steps").locator("[data-state=current]")).to_contain_text("民主评议")
    assert_fits(page)
    shot(page, "reopened")
    with site.session() as session:
        case = session.scalars(select(Case).where(Case.household_id == household_id, Case.status == "open")).one()
        assert case.step == "review"
