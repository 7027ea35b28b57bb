"""Signals over HTTP on the test world: each signal found by the bulk computation, the
filters, opening cases for chosen households (skips counted), bad input refused with
nothing written, and the page with its export."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from sqlalchemy import func, select

from tests.factories import monitoring
from zhucun.core.audit import AuditEntry
from zhucun.core.permissions import Role
from zhucun.procedures.models import Case
from zhucun.registry.models import Household


def _signals(api, world, role=Role.RR_BUREAU, **params) -> dict:
    response = api(world.username(role)).get(
        f"/api/v1/signals/{world.a.village}", params={"year": monitoring.YEAR, **params}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _by_id(page: dict) -> dict[int, dict]:
    return {item["household_id"]: item for item in page["items"]}


def test_low_income_and_heavy_spending_are_found_in_bulk(api, world, session):
    first, second = world.a.household_id, world.a.household2_id
    monitoring.income(session, first, wage=9000)  # 3 people: 3,000 a head
    monitoring.income(session, second, wage=40000, spending=25000)  # 2 people: 20,000 a head
    session.commit()
    page = _signals(api, world)
    found = _by_id(page)
    assert found[first]["signals"] == ["low_income"]
    assert found[first]["income_per_head"] == 3000.0
    assert found[second]["signals"] == ["heavy_spending"]
    assert found[second]["unavoidable_spending"] == 25000.0
    assert found[first]["state"] == "pending"
    assert page["total"] == len(page["items"]) >= 2
    assert page["line"] == 6000.0 or page["line"] > 0
    # Filtered by signal, the list keeps only that signal.
    heavy = _by_id(_signals(api, world, signal="heavy_spending"))
    assert second in heavy and first not in heavy


def test_a_household_above_the_line_has_no_signal(api, world, session):
    monitoring.income(session, world.a.household_id, wage=90000)
    session.commit()
    assert world.a.household_id not in _by_id(_signals(api, world))


def test_county_b_sees_nothing_of_county_a(api, world, session):
    monitoring.signalled(session, world.a.household_id)
    session.commit()
    response = api(world.username(Role.RR_BUREAU, "b")).get(f"/api/v1/signals/{world.a.village}")
    assert response.status_code == 404


def test_opening_cases_skips_households_already_in_a_case(api, world, session):
    first, second = world.a.household_id, world.a.household2_id
    monitoring.signalled(session, first)
    monitoring.signalled(session, second)
    monitoring.monitoring_case(session, second, date.today())
    session.commit()
    assert _by_id(_signals(api, world))[second]["state"] == "in_case"
    before = session.scalar(select(func.count()).select_from(Case))
    response = api(world.username(Role.FIRST_SECRETARY)).post(
        f"/api/v1/signals/{world.a.village}/cases", json={"year": monitoring.YEAR, "household_ids": [first, second]}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["opened"], body["in_case"], body["monitored"]) == (1, 1, 0)
    case = session.scalars(select(Case).where(Case.id == body["cases"][0])).one()
    assert (case.kind, case.household_id, case.step) == ("monitoring", first, "visit")
    # The household left poverty before (status 12): low income makes it 脱贫不稳定户.
    assert case.facts["category"] == "21" and case.facts["signals"] == ["low_income"]
    assert session.scalar(select(func.count()).select_from(Case)) == before + 1
    assert _by_id(_signals(api, world))[first]["state"] == "in_case"


def test_a_monitored_household_is_counted_not_opened(api, world, session):
    household = session.scalars(select(Household).where(Household.id == world.a.household_id)).one()
    household.status = "22"
    monitoring.signalled(session, household.id)
    session.commit()
    response = api(world.username(Role.FIRST_SECRETARY)).post(
        f"/api/v1/signals/{world.a.village}/cases", json={"year": monitoring.YEAR, "household_ids": [household.id]}
    )
    assert response.status_code == 201, response.text
    assert response.json() == {"opened": 0, "cases": [], "monitored": 1, "in_case": 0}


def test_an_unsignalled_household_refuses_the_whole_action(api, world, session):
    monitoring.signalled(session, world.a.household_id)
    monitoring.income(session, world.a.household2_id, wage=90000)
    session.commit()
    caller = api(world.username(Role.FIRST_SECRETARY))  # its login is audited: count after it
    cases = session.scalar(select(func.count()).select_from(Case))
    audits = session.scalar(select(func.count()).select_from(AuditEntry))
    response = caller.post(
        f"/api/v1/signals/{world.a.village}/cases",
        json={"year": monitoring.YEAR, "household_ids": [world.a.household_id, world.a.household2_id]},
        headers={"Accept-Language": "zh-CN"},
    )
    assert response.status_code == 422, response.text
    error = response.json()
    assert (error["field"], error["code"]) == ("household_ids", "not_signalled")
    number = session.scalar(select(Household.household_no).where(Household.id == world.a.household2_id))
    assert number in error["message"] and "监测" in error["message"]
    assert session.scalar(select(func.count()).select_from(Case)) == cases
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_bad_bodies_are_refused(api, world):
    url = f"/api/v1/signals/{world.a.village}/cases"
    caller = api(world.username(Role.FIRST_SECRETARY))
    assert caller.post(url, json={"year": 2025, "household_ids": []}).status_code == 422
    assert caller.post(url, json={"year": 1900, "household_ids": [1]}).status_code == 422
    assert caller.post(url, json={"year": 2025, "household_ids": [1], "extra": 1}).status_code == 422
    assert api(world.username(Role.TEAM_MEMBER)).post(url, json={"year": 2025, "household_ids": [1]}).status_code == 403


def test_the_page_lists_filters_and_exports_what_it_shows(client, web, world, session):
    monitoring.signalled(session, world.a.household_id)
    session.commit()
    web(world.username(Role.FIRST_SECRETARY))
    page = client.get("/identification/signals", params={"year": monitoring.YEAR, "signal": "low_income"})
    assert page.status_code == 200, page.text
    head = session.scalar(select(Household.head_name).where(Household.id == world.a.household_id))
    assert head in page.text
    assert 'data-testid="signal-total"' in page.text
    params = {"year": monitoring.YEAR, "signal": "low_income"}
    exported = client.get("/identification/signals/export.xlsx", params=params)
    assert exported.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert any(head in row for row in cells[1:])
    assert all("low_income" not in str(row) for row in cells[1:])  # signal labels, not keys


def test_the_page_opens_cases_for_the_chosen_households(client, web, world, session):
    monitoring.signalled(session, world.a.household_id)
    session.commit()
    csrf = web(world.username(Role.FIRST_SECRETARY))
    response = client.post(
        f"/identification/signals/{world.a.village}/cases",
        data={"csrf_token": csrf, "year": str(monitoring.YEAR), "household_id": str(world.a.household_id)},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    assert "opened=1-0-0" in response.headers["location"]
    opened = session.scalar(
        select(func.count()).select_from(Case).where(Case.household_id == world.a.household_id, Case.status == "open")
    )
    assert opened == 1
    refused = client.post(
        f"/identification/signals/{world.a.village}/cases",
        data={"csrf_token": csrf, "year": str(monitoring.YEAR)},
    )
    assert refused.status_code == 422


def test_unavoidable_spending_is_entered_through_the_income_api(api, world, session):
    url = f"/api/v1/households/{world.a.household2_id}/incomes/{monitoring.YEAR}"
    body = {"wage": "30000", "unavoidable_spending": "18000", "reason": "住院自付"}
    response = api(world.username(Role.FIRST_SECRETARY)).request("PUT", url, json=body)
    assert response.status_code == 200, response.text
    assert float(response.json()["unavoidable_spending"]) == 18000.0
    assert _by_id(_signals(api, world))[world.a.household2_id]["signals"] == ["heavy_spending"]
    bad = api(world.username(Role.FIRST_SECRETARY)).request("PUT", url, json={**body, "unavoidable_spending": "-5"})
    assert bad.status_code == 422
