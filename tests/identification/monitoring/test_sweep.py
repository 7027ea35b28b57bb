"""The escalation sweep: a monitoring case past its clock turns red and goes to the next
level, one audited entry with the reason, visible on the case page and in the home items
of that level; a second sweep changes nothing."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from sqlalchemy import select

from tests.factories import monitoring
from zhucun.core.audit import AuditEntry
from zhucun.core.permissions import Role
from zhucun.procedures.calendar import add_days
from zhucun.procedures.models import Case

OPENED = date(2026, 3, 2)  # the national default: 15 working days from the first signal
LAST_DAY = add_days(OPENED, 15, working=True)


def _sweep(api, world, on: date, role: Role = Role.RR_BUREAU):
    url = f"/api/v1/monitoring/{world.a.county}/sweep"
    return api(world.username(role)).post(url, json={"on": on.isoformat()})


def _escalations(session, case_id: int) -> list[AuditEntry]:
    statement = select(AuditEntry).where(
        AuditEntry.action == "procedures:case:escalated", AuditEntry.entity_id == str(case_id)
    )
    return list(session.scalars(statement))


def test_a_case_past_its_clock_is_escalated_once(api, world, session):
    case = monitoring.monitoring_case(session, world.a.household_id, OPENED)
    session.commit()
    on_time = _sweep(api, world, LAST_DAY)
    assert on_time.status_code == 200, on_time.text
    assert on_time.json()["escalated"] == 0
    late = add_days(LAST_DAY, 1, working=True)
    swept = _sweep(api, world, late).json()
    assert swept["cases"] == [{"case_id": case.id, "escalated_to": "township"}]
    session.expire_all()
    stored = session.scalars(select(Case).where(Case.id == case.id)).one()
    assert (stored.escalated, stored.escalated_to, stored.escalated_on) == (True, "township", late)
    entries = _escalations(session, case.id)
    assert len(entries) == 1
    assert LAST_DAY.isoformat() in entries[0].reason and "15" in entries[0].reason
    # Idempotent: the same day again, or the next, changes nothing and writes no entry.
    assert _sweep(api, world, late).json()["escalated"] == 0
    assert _sweep(api, world, add_days(late, 1, working=True)).json()["escalated"] == 0
    assert len(_escalations(session, case.id)) == 1
    # A second full clock later the county takes it over.
    much_later = add_days(OPENED, 31, working=True)
    assert _sweep(api, world, much_later).json()["cases"] == [{"case_id": case.id, "escalated_to": "county"}]
    assert len(_escalations(session, case.id)) == 2


def test_the_escalation_is_on_the_case_page_and_the_home_page_of_the_level(api, client, web, world, session):
    case = monitoring.monitoring_case(session, world.a.household_id, OPENED)
    session.commit()
    assert _sweep(api, world, add_days(LAST_DAY, 1, working=True)).json()["escalated"] == 1
    web(world.username(Role.TOWNSHIP))
    home = client.get("/")
    assert home.status_code == 200
    assert "提级到本级的红色超期事项" in home.text or "Red cases escalated to you" in home.text
    page = client.get(f"/identification/cases/{case.id}")
    assert page.status_code == 200
    assert 'data-testid="escalated"' in page.text


def test_a_future_day_and_another_county_are_refused(api, world, session):
    monitoring.monitoring_case(session, world.a.household_id, OPENED)
    session.commit()
    future = _sweep(api, world, date(2099, 1, 1))
    assert future.status_code == 422 and future.json()["field"] == "on"
    other = api(world.username(Role.RR_BUREAU, "b")).post(f"/api/v1/monitoring/{world.a.county}/sweep", json={})
    assert other.status_code == 404
    assert session.scalars(select(Case.escalated_to).where(Case.household_id == world.a.household_id)).all() == [None]


def test_the_home_item_opens_the_list_of_cases_escalated_to_the_reader_level(api, client, web, world, session):
    escalated = monitoring.monitoring_case(session, world.a.household_id, OPENED)
    # Opened the day before the sweep: on time, so not escalated, but open in the same list.
    on_time = monitoring.monitoring_case(session, world.a.household2_id, LAST_DAY)
    session.commit()
    assert _sweep(api, world, add_days(LAST_DAY, 1, working=True)).json()["escalated"] == 1
    web(world.username(Role.TOWNSHIP))
    link = "/identification/cases?escalated=township"
    item = client.get("/").text.split(f'href="{link}"', 1)[1]
    assert item.split('data-testid="work-count">', 1)[1].split("<", 1)[0] == "1"
    listed = client.get(f"{link}&lang=en")
    assert listed.status_code == 200
    assert f'/identification/cases/{escalated.county_code}/{escalated.id}"' in listed.text
    assert f'/identification/cases/{on_time.county_code}/{on_time.id}"' not in listed.text
    assert 'data-testid="case-total">1 cases' in listed.text
    # The filter keeps its state in the URL and in the form, and the export follows it.
    assert '<option value="township" selected>' in listed.text
    everything = client.get("/identification/cases?kind=monitoring&lang=en")
    assert f'/identification/cases/{on_time.county_code}/{on_time.id}"' in everything.text
    assert 'data-testid="case-total">1 cases' not in everything.text
    county = client.get("/identification/cases?escalated=county&lang=en")
    assert 'data-testid="case-total">0 cases' in county.text
    exported = client.get("/identification/cases/export.xlsx?escalated=township&lang=en")
    assert exported.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [escalated.id]
    assert client.get("/identification/cases?escalated=village").status_code == 422
