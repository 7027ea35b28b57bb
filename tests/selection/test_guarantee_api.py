"""Incentive and guarantee through the API on a real database: allowances from the posting
dates (or from a registered days source), a unit's own cadres only, work funds that refuse
overspending with the amounts named and write nothing, insurance near its end, and health
checks whose result only the cadre's managers see."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tests.factories import guarantee as guarantee_factory
from tests.factories import selection as cadre_factory
from zhucun.accounts.units.models import Unit
from zhucun.core.audit import AuditEntry
from zhucun.core.permissions import Role
from zhucun.selection.guarantee import days
from zhucun.selection.guarantee.models import FundSpending, WorkFund

OCTOBER = "2025-10"  # 18 official working days (National Day week off, Saturday 11th worked)


def _row(body, cadre_id):
    return next(r for r in body["rows"] if r["cadre_id"] == cadre_id)


def test_statement_counts_posting_days_by_the_official_calendar(api, world):
    a = world.a
    response = api("zzb").get("/api/v1/guarantee/statements", params={"month": OCTOBER})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["county"] == a.county[:6] and body["workdays"] == 18 and body["source"] == "postings"
    row = _row(body, a.posted_cadre_id)  # 张卫东, in post since March 2024
    assert row["days"] == 18 and row["village_code"] == a.village
    assert (row["work"], row["meals"], row["transport"], row["phone"], row["total"]) == (
        "1000.00",
        "720.00",
        "900.00",
        "100.00",
        "2720.00",
    )
    # 李明's posting ended in February 2024: nothing for him in October 2025.
    assert a.cadre_id not in {r["cadre_id"] for r in body["rows"]}
    assert float(body["total"]) == sum(float(r["total"]) for r in body["rows"])


def test_a_registered_days_source_replaces_the_postings(api, world):
    a = world.a

    def recorded(session, county, month):
        return {a.posted_cadre_id: 5} if county == a.county[:6] else None

    days.register(recorded)
    try:
        body = api("zzb").get("/api/v1/guarantee/statements", params={"month": OCTOBER}).json()
    finally:
        days.SOURCES.remove(recorded)
    row = _row(body, a.posted_cadre_id)
    assert body["source"] == "records" and row["days"] == 5
    assert (row["work"], row["meals"], row["phone"]) == ("277.78", "200.00", "27.78")


def test_a_dispatching_unit_sees_its_own_cadres_only(api, world, session, settings):
    a = world.a
    other_unit = session.scalars(select(Unit.id).where(Unit.id != a.unit_id).order_by(Unit.id)).first()
    stranger = cadre_factory.cadre(
        session, settings, a.county, name="周立新", born="19860203", male=True, seq=871, unit_id=other_unit
    )
    cadre_factory.posting(session, stranger, a.village, role="3", start="2025-09-01")
    seen_by_org = {
        r["cadre_id"] for r in api("zzb").get("/api/v1/guarantee/statements", params={"month": OCTOBER}).json()["rows"]
    }
    assert {stranger.id, a.posted_cadre_id} <= seen_by_org
    unit = api(a.users[Role.UNIT])
    rows = unit.get("/api/v1/guarantee/statements", params={"month": OCTOBER}).json()["rows"]
    assert a.posted_cadre_id in {r["cadre_id"] for r in rows}
    assert stranger.id not in {r["cadre_id"] for r in rows}
    assert unit.get(f"/api/v1/guarantee/cadres/{a.county[:6]}/{stranger.id}/health").status_code == 404


def test_work_funds_refuse_overspending_with_the_amounts_named(api, world, session):
    a = world.a
    county, year = a.county[:6], date.today().year
    zzb = api("zzb")
    opened = zzb.post(
        f"/api/v1/guarantee/cadres/{county}/{a.posted_cadre_id}/funds", json={"kind": "secretary", "year": year}
    )
    assert opened.status_code == 201, opened.text
    fund = opened.json()
    assert (fund["amount"], fund["balance"], fund["village_code"]) == ("10000.00", "10000.00", a.village)
    team = zzb.post(f"/api/v1/guarantee/cadres/{county}/{a.posted_cadre_id}/funds", json={"kind": "team", "year": year})
    assert team.json()["amount"] == "20000.00"
    again = zzb.post(
        f"/api/v1/guarantee/cadres/{county}/{a.posted_cadre_id}/funds", json={"kind": "secretary", "year": year}
    )
    assert again.status_code == 409 and again.json()["field"] == "cadre_id"
    url = f"/api/v1/guarantee/funds/{county}/{fund['id']}/spendings"
    today = date.today().isoformat()
    spent = zzb.post(url, json={"spent_on": today, "amount": "9000", "purpose": "修缮村部", "receipt": "发票 88"})
    assert spent.status_code == 201, spent.text
    refused = zzb.post(url, json={"spent_on": today, "amount": "1500.5", "purpose": "购置电脑"})
    assert refused.status_code == 422 and refused.json()["field"] == "amount"
    assert "1500.50" in refused.json()["message"] and "1000.00" in refused.json()["message"]
    assert session.scalar(select(func.count()).select_from(FundSpending).where(FundSpending.fund_id == fund["id"])) == 1
    detail = zzb.get(f"/api/v1/guarantee/funds/{county}/{fund['id']}").json()
    assert (detail["spent"], detail["balance"]) == ("9000.00", "1000.00")
    assert [s["purpose"] for s in detail["spendings"]] == ["修缮村部"]
    stored = session.get(WorkFund, (county, fund["id"]))
    session.refresh(stored)
    assert str(stored.spent) == "9000.00"


def test_only_a_first_secretary_in_post_holds_a_fund(api, world):
    a = world.a
    response = api("zzb").post(
        f"/api/v1/guarantee/cadres/{a.county[:6]}/{a.cadre_id}/funds", json={"kind": "secretary", "year": 2026}
    )
    assert response.status_code == 422 and response.json()["code"] == "not_first_secretary"


def test_spending_outside_the_fund_year_is_refused(api, world, session):
    a = world.a
    fund = guarantee_factory.fund(session, a)
    url = f"/api/v1/guarantee/funds/{fund.county_code}/{fund.id}/spendings"
    response = api("zzb").post(url, json={"spent_on": f"{fund.year - 1}-12-31", "amount": "10", "purpose": "差旅"})
    assert response.status_code == 422 and response.json()["field"] == "spent_on"


def _policy(number, starts, ends):
    return {
        "insurer": "中国人寿",
        "number": number,
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
        "sum_insured": "500000",
    }


def test_insurance_ending_soon_unless_renewed(api, world):
    a = world.a
    county, today, zzb = a.county[:6], date.today(), api("zzb")
    url = f"/api/v1/guarantee/cadres/{county}/{a.posted_cadre_id}/policies"
    assert (
        zzb.post(url, json=_policy("P-1", today - timedelta(days=355), today + timedelta(days=10))).status_code == 201
    )
    soon = zzb.get("/api/v1/guarantee/policies/expiring").json()
    assert [(p["number"], p["days_left"]) for p in soon] == [("P-1", 10)]
    assert zzb.get("/api/v1/guarantee/policies/expiring", params={"days": 5}).json() == []
    duplicate = zzb.post(url, json=_policy("P-1", today, today + timedelta(days=365)))
    assert duplicate.status_code == 409 and duplicate.json()["field"] == "number"
    backwards = zzb.post(url, json=_policy("P-3", today, today - timedelta(days=1)))
    assert backwards.status_code == 422 and backwards.json()["field"] == "ends_on"
    assert (
        zzb.post(url, json=_policy("P-2", today + timedelta(days=10), today + timedelta(days=375))).status_code == 201
    )
    assert zzb.get("/api/v1/guarantee/policies/expiring").json() == []


def test_health_results_are_for_the_cadre_managers_only(api, world, session):
    a = world.a
    county, year = a.county[:6], date.today().year
    url = f"/api/v1/guarantee/cadres/{county}/{a.posted_cadre_id}/health"
    zzb = api("zzb")
    assert a.posted_cadre_id in {c.id for c in _overdue(session, county)}
    body = {"done": True, "checked_on": date.today().isoformat(), "result": "血压偏高，建议复查"}
    recorded = zzb.request("PUT", f"{url}/{year}", json=body)
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["result"] == "血压偏高，建议复查"
    assert a.posted_cadre_id not in {c.id for c in _overdue(session, county)}
    assert api(a.users[Role.UNIT]).get(url).json()[0]["result"] == "血压偏高，建议复查"
    bureau = api(a.users[Role.RR_BUREAU]).get(url)
    assert bureau.status_code == 200 and bureau.json()[0]["done"] is True and bureau.json()[0]["result"] is None
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "incentive:health:recorded")).all()
    assert entries and all("血压" not in str(e.after) for e in entries)
    undated = zzb.request("PUT", f"{url}/{year}", json={"done": True})
    assert undated.status_code == 422 and undated.json()["field"] == "checked_on"


def _overdue(session, county):
    from zhucun.selection.guarantee import queries

    return queries.health_overdue(session, county, date.today())
