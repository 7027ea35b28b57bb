"""A household's income recorded on its page: the form opens from the income table, shows
the total and income per head against the year's monitoring line, saves through the API's
use case into the history as a readable sentence, and refuses bad input on the field
with nothing written."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert, select

from zhucun.core.ids import allocate
from zhucun.core.models import User
from zhucun.core.permissions import Role
from zhucun.demo import county as demo_county
from zhucun.identification.rules import monitoring_line
from zhucun.registry.models import Household, HouseholdIncome
from zhucun.selection.helpers.models import HelperAssignment

THIS_YEAR = date.today().year
# The test world's county A, whose households these are (rows are addressed by county and id).
COUNTY = demo_county.COUNTY[0][:6]


def _history(page: str) -> str:
    return page.split('data-testid="history"', 1)[1].split("</ul>", 1)[0]


def _incomes(session, household_id: int) -> dict[int, HouseholdIncome]:
    session.expire_all()
    rows = session.scalars(select(HouseholdIncome).where(HouseholdIncome.household_id == household_id))
    return {row.year: row for row in rows}


def _members(session, household_id: int) -> int:
    return session.scalars(select(Household.member_count).where(Household.id == household_id)).one() or 1


def _post(client, csrf, household_id, **fields):
    data = {"csrf_token": csrf, "year": str(THIS_YEAR), "reason": "入户核实收入", **fields}
    return client.post(f"/registry/households/{COUNTY}/{household_id}/incomes", data=data, follow_redirects=False)


def test_the_household_page_offers_this_years_income_to_whoever_may_write(client, web, world):
    web("shuji")
    page = client.get(f"/registry/households/{world.a.county_code}/{world.a.household_id}").text
    assert f'href="/registry/households/{world.a.county_code}/{world.a.household_id}/incomes"' in page
    form = client.get(f"/registry/households/{world.a.county_code}/{world.a.household_id}/incomes")
    assert form.status_code == 200
    assert f"{THIS_YEAR}年收入" in form.text and "元" in form.text
    assert f'name="year" class="form-control" value="{THIS_YEAR}"' in form.text


def test_recording_and_correcting_this_years_income_reads_in_the_history(client, web, world, session):
    household_id = world.a.household_id
    csrf = web("shuji")
    first = _post(client, csrf, household_id, wage="12000", production="3000", production_costs="500")
    assert first.status_code == 303, first.text
    assert first.headers["location"] == f"/registry/households/{COUNTY}/{household_id}"
    saved = _incomes(session, household_id)[THIS_YEAR]
    assert (saved.wage, saved.production, saved.production_costs, saved.transfer) == (12000, 3000, 500, 0)

    # Opened again from the table, the form shows what was recorded, as it was typed.
    page = client.get(f"/registry/households/{COUNTY}/{household_id}").text
    assert f'data-testid="edit-income-{THIS_YEAR}"' in page
    form = client.get(f"/registry/households/{COUNTY}/{household_id}/incomes?year={THIS_YEAR}").text
    assert 'value="12000"' in form and 'value="3000"' in form

    second = _post(client, csrf, household_id, wage="15000", production="3000", production_costs="500")
    assert second.status_code == 303, second.text
    assert _incomes(session, household_id)[THIS_YEAR].wage == 15000
    history = _history(client.get(f"/registry/households/{COUNTY}/{household_id}").text)
    assert f"把{THIS_YEAR}年工资性收入从 12,000 改为 15,000" in history
    assert f"把{THIS_YEAR}年工资性收入从（空）改为 12,000" in history
    english = _history(client.get(f"/registry/households/{COUNTY}/{household_id}?lang=en").text)
    assert f"wages of {THIS_YEAR} from 12,000 to 15,000" in english


@pytest.mark.parametrize(
    ("field", "fields", "zh", "en"),
    [
        ("wage", {"wage": "-100"}, "不能小于 0", "at least 0"),
        ("wage", {"wage": "一万"}, "须为数字", "must be a number"),
        ("transfer", {"transfer": "12,000"}, "须为数字", "must be a number"),
        ("year", {"year": str(THIS_YEAR + 1)}, "只能录入今年或以前年度的收入", "this year or an earlier one"),
        ("year", {"year": "二〇二五"}, "整数", "whole number"),
        ("reason", {"reason": ""}, "此项为必填项", "required"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_written(client, web, world, session, field, fields, zh, en):
    household_id = world.a.household2_id
    before = _incomes(session, household_id)
    csrf = web("shuji")
    refused = _post(client, csrf, household_id, **{"wage": "9000", **fields})
    assert refused.status_code == 422, refused.text
    assert f'id="{field}-error"' in refused.text
    assert zh in refused.text
    assert 'aria-invalid="true"' in refused.text
    # The typed figures are kept so that only the wrong one needs retyping.
    assert 'value="入户核实收入"' in refused.text or field == "reason"
    assert _incomes(session, household_id).keys() == before.keys()
    english = client.post(
        f"/registry/households/{COUNTY}/{household_id}/incomes?lang=en",
        data={"csrf_token": csrf, "year": str(THIS_YEAR), "reason": "入户核实收入", "wage": "9000", **fields},
    )
    assert english.status_code == 422
    error = re.search(rf'id="{field}-error"[^>]*>([^<]+)<', english.text)
    assert error is not None and en.lower() in error.group(1).lower()
    assert not re.search(r"[\u4e00-\u9fff]", error.group(1))


def test_the_summary_tells_below_or_above_the_years_line(client, web, world, session):
    household_id = world.a.household_id
    web("shuji")
    members, line = _members(session, household_id), Decimal(str(monitoring_line(THIS_YEAR)))
    url = f"/registry/households/{COUNTY}/{household_id}/incomes/summary"
    low = client.get(url, params={"year": THIS_YEAR, "wage": str(line * members / 2)})
    assert low.status_code == 200
    assert 'data-testid="below-line"' in low.text and "低于监测线" in low.text
    assert f"{line / 2:,.0f} 元" in low.text and f"{line:,.0f} 元" in low.text
    high = client.get(url, params={"year": THIS_YEAR, "wage": str(line * members * 2)})
    assert 'data-testid="above-line"' in high.text and "below-line" not in high.text
    wrong = client.get(url, params={"year": THIS_YEAR, "wage": "abc"})
    assert "请先改正上面的数字" in wrong.text
    # Each figure is bounded as typed, whichever of them it is.
    assert client.get(url, params={"year": THIS_YEAR, "unavoidable_spending": "1" * 21}).status_code == 422


def _assign(session, world, household_id: int) -> None:
    """The helper account becomes the household's open helper (an assignment to the account)."""
    account = session.scalar(select(User.id).where(User.username == world.username(Role.HELPER)))
    home = session.scalars(select(Household).where(Household.id == household_id)).one()
    values = {"county_code": home.county_code, "household_id": home.id, "village_code": home.village_code}
    session.execute(
        insert(HelperAssignment).values(
            **values, id=allocate(session, "helper_assignments"), account_id=account, start_date=date.today()
        )
    )
    session.commit()


def test_a_helper_records_the_income_of_the_households_in_their_care_only(client, web, world, session):
    mine, other = world.a.household_id, world.a.household2_id
    csrf = web(world.username(Role.HELPER))
    page = client.get(f"/registry/households/{COUNTY}/{mine}")
    assert page.status_code == 200 and 'data-testid="record-income"' not in page.text
    assert client.get(f"/registry/households/{COUNTY}/{mine}/incomes").status_code == 403
    assert _post(client, csrf, mine, wage="1").status_code == 403
    assert THIS_YEAR not in _incomes(session, mine)

    _assign(session, world, mine)
    page = client.get(f"/registry/households/{COUNTY}/{mine}")
    assert 'data-testid="record-income"' in page.text
    assert client.get(f"/registry/households/{COUNTY}/{mine}/incomes").status_code == 200
    saved = _post(client, csrf, mine, wage="8000", transfer="1200")
    assert saved.status_code == 303, saved.text
    assert (_incomes(session, mine)[THIS_YEAR].wage, _incomes(session, mine)[THIS_YEAR].transfer) == (8000, 1200)
    assert "赵帮扶" in _history(client.get(f"/registry/households/{COUNTY}/{mine}").text)
    # Another household of the same village, in someone else's care, stays out of reach.
    other_page = client.get(f"/registry/households/{COUNTY}/{other}")
    assert other_page.status_code == 200 and 'data-testid="record-income"' not in other_page.text
    assert client.get(f"/registry/households/{COUNTY}/{other}/incomes/summary").status_code == 403
    assert _post(client, csrf, other, wage="1").status_code == 403
    assert THIS_YEAR not in _incomes(session, other)


def test_a_helper_records_through_the_api_what_the_page_allows(api, world, session):
    helper = api(world.username(Role.HELPER))
    url = f"/api/v1/households/{COUNTY}/{world.a.household_id}/incomes/{THIS_YEAR}"
    refused = helper.request("PUT", url, json={"wage": "1000", "reason": "入户核实"})
    assert refused.status_code == 403 and refused.json()["field"] == "household_id"
    assert THIS_YEAR not in _incomes(session, world.a.household_id)
    _assign(session, world, world.a.household_id)
    assert helper.request("PUT", url, json={"wage": "1000", "reason": "入户核实"}).status_code == 200
    assert _incomes(session, world.a.household_id)[THIS_YEAR].wage == 1000
    # Another county's household is not found at all.
    elsewhere = f"/api/v1/households/{world.b.county_code}/{world.b.household_id}/incomes/{THIS_YEAR}"
    assert helper.request("PUT", elsewhere, json={"wage": "1000", "reason": "入户核实"}).status_code == 404


def test_the_api_refuses_a_future_year_too(api, world, session):
    url = f"/api/v1/households/{world.a.household_id}/incomes/{THIS_YEAR + 1}"
    refused = api("zhen").request("PUT", url, json={"wage": "1000", "reason": "核算"})
    assert refused.status_code == 422
    assert '"field":"year"' in refused.text.replace(" ", "")
    assert THIS_YEAR + 1 not in _incomes(session, world.a.household_id)
