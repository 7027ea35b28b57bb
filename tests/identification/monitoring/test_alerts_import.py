"""Department alert lists through the shared import engine: matched by the ID keyed hash
(never stored in clear), the matched, unmatched and already-monitored counts, sudden events
as signals, and bad rows located and translated with nothing written."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from tests.factories import monitoring
from tests.factories.imports import csv_bytes, member_rows
from zhucun.core.idnumbers import mask
from zhucun.core.permissions import Role
from zhucun.identification.monitoring.models import DepartmentAlert
from zhucun.registry.import_kind.sample import MEMBER_HEADERS
from zhucun.registry.models import Household, HouseholdIncome


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(DepartmentAlert)) or 0


def test_a_list_is_matched_counted_and_stored_without_id_numbers(api, world, session, settings):
    first = monitoring.head_id_number(session, settings, world.a.household_id)
    second = monitoring.head_id_number(session, settings, world.a.household2_id)
    household = session.scalars(select(Household).where(Household.id == world.a.household2_id)).one()
    household.status = "21"  # already monitored
    session.commit()
    today = date.today().isoformat()
    rows = [
        monitoring.alert_row(first, world.a.village, on=today),
        monitoring.alert_row(second, world.a.village, department="民政临时救助", on=today),
        monitoring.alert_row(monitoring.stranger(world.a.county[:6]), world.a.village, department="05", on=today),
    ]
    response = api(world.username(Role.RR_BUREAU)).post("/api/v1/imports/alerts", files=monitoring.alert_file(rows))
    assert response.status_code == 200, response.text
    counts = response.json()["counts"]
    assert counts == {"alerts": 3, "matched": 2, "unmatched": 1, "monitored": 1}
    stored = session.scalars(select(DepartmentAlert).order_by(DepartmentAlert.id)).all()
    assert [(a.household_id, a.department, a.monitored) for a in stored] == [
        (world.a.household_id, "01", False),
        (world.a.household2_id, "04", True),
        (None, "05", False),
    ]
    assert stored[0].id_masked == mask(first) and first not in repr(stored[0].__dict__)
    assert stored[2].division_code == world.a.village
    # The matched alert is a sudden event: the first household is signalled by it alone.
    signals = api(world.username(Role.RR_BUREAU)).get(f"/api/v1/signals/{world.a.village}").json()
    found = {item["household_id"]: item for item in signals["items"]}
    assert found[world.a.household_id]["signals"] == ["sudden_event"]
    assert found[world.a.household2_id]["state"] == "monitored"


def test_bad_id_numbers_and_unknown_columns_are_located_and_nothing_is_written(api, world, session):
    caller = api(world.username(Role.RR_BUREAU))
    before = _count(session)
    bad = "52279919800101123X"  # a wrong check character
    rows = [
        monitoring.alert_row(monitoring.stranger(world.a.county[:6]), world.a.village),
        monitoring.alert_row(bad, world.a.village),
    ]
    refused = caller.post(
        "/api/v1/imports/alerts", files=monitoring.alert_file(rows), headers={"Accept-Language": "zh-CN"}
    )
    assert refused.status_code == 422, refused.text
    errors = refused.json()["errors"]
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [(3, "B", "bad_id")]
    assert bad not in refused.text and "身份证" in errors[0]["message"]
    headers = [*monitoring.HEADERS, "备用"]
    unknown = caller.post(
        "/api/v1/imports/alerts",
        files=monitoring.alert_file([[*rows[0], "x"]], headers=headers),
        headers={"Accept-Language": "zh-CN"},
    )
    assert unknown.status_code == 422, unknown.text
    error = unknown.json()["errors"][0]
    assert (error["row"], error["column"], error["code"]) == (1, "H", "unknown_column")
    assert "备用" in error["message"]
    assert _count(session) == before


def test_a_place_outside_the_area_is_a_located_error(api, world, session):
    row = monitoring.alert_row(monitoring.stranger(world.b.county[:6]), world.b.village)
    response = api(world.username(Role.RR_BUREAU)).post("/api/v1/imports/alerts", files=monitoring.alert_file([row]))
    assert response.status_code == 422
    assert [(e["row"], e["column"]) for e in response.json()["errors"]] == [(2, "G")]
    assert _count(session) == 0


def test_the_alerts_page_lists_the_unmatched(api, client, web, world, session):
    row = monitoring.alert_row(monitoring.stranger(world.a.county[:6]), world.a.village)
    assert (
        api(world.username(Role.RR_BUREAU))
        .post("/api/v1/imports/alerts", files=monitoring.alert_file([row]))
        .is_success
    )
    web(world.username(Role.FIRST_SECRETARY))
    page = client.get("/identification/alerts", params={"matched": "0"})
    assert page.status_code == 200
    assert "王某" in page.text and "医保" in page.text
    assert row[1] not in page.text  # the ID number is never on a page


def test_unavoidable_spending_comes_in_with_the_members_import(api, world, session):
    rows = member_rows([world.a.village], 6, seed=77)
    at = MEMBER_HEADERS.index("刚性支出")
    for row in rows:
        row[at] = "3000"
    body = {"file": ("members.csv", csv_bytes(MEMBER_HEADERS, rows), "text/csv")}
    response = api(world.username(Role.RR_BUREAU)).post("/api/v1/imports/members", files=body)
    assert response.status_code == 200, response.text
    incomes = session.scalars(
        select(HouseholdIncome.unavoidable_spending)
        .join(
            Household,
            (Household.county_code == HouseholdIncome.county_code) & (Household.id == HouseholdIncome.household_id),
        )
        .where(Household.import_id == response.json()["import_id"])
    ).all()
    assert incomes and all(float(amount) == 3000.0 for amount in incomes)
