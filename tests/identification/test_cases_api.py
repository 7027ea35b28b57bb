"""A registration through every step over HTTP, an objection on the public page reopening
it, the dual-signature rule in the service and in the database, and bad input refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from zhucun.core.audit import AuditEntry
from zhucun.procedures.models import Case, CaseSignature
from zhucun.registry.models import Household

REVIEW = {
    "date": "2026-03-02",
    "attendees": 30,
    "votes_for": 20,
    "votes_against": 6,
    "abstaining": 4,
    "minutes": "村民代表会议记录",
}


def _backdate(session, case_id: int, days: int) -> None:
    """Let the running notice's days pass (as if the case had entered the step earlier)."""
    case = session.scalars(select(Case).where(Case.id == case_id)).one()
    case.notice_ends_on = date.today() - timedelta(days=days)
    session.commit()


def _open(api, world) -> dict:
    response = api("shuji").post("/api/v1/cases", json={"kind": "registration", "household_id": world.a.household2_id})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_registration_goes_through_every_step_and_changes_the_register(api, world, session, client):
    case = _open(api, world)
    assert case["step"] == "collect" and case["status"] == "open"
    url = f"/api/v1/cases/{case['county_code']}/{case['id']}/actions"
    # The world's household has no income row: data collection names the failed rule.
    refused = api("shuji").post(url, json={"action": "pass"})
    assert refused.status_code == 422 and refused.json()["code"] == "rules_failed"
    assert "未录入收入" in refused.json()["message"] and "income_missing" not in refused.json()["message"]
    from zhucun.registry.models import HouseholdIncome

    session.add(
        HouseholdIncome(
            county_code=world.a.county[:6],
            household_id=world.a.household2_id,
            year=2025,
            wage=2000,
            production=1000,
            property=0,
            transfer=500,
            production_costs=0,
        )
    )
    session.commit()
    assert api("shuji").post(url, json={"action": "pass"}).json()["step"] == "review"
    assert api("cunwei").post(url, json={"action": "pass", "review": REVIEW}).json()["step"] == "verify"
    # The household's head is the brother of the village official's household head: the case
    # is flagged with the path, and only a role outside the village may verify it.
    assert case["related"] and "→" in case["related_path"]
    inside = api("shuji").post(url, json={"action": "sign", "body": "work_team"})
    assert inside.status_code == 403 and inside.json()["code"] == "related_outside_village"
    verified = api("zhen").post(url, json={"action": "pass"}).json()
    assert verified["step"] == "notice1" and verified["notice_ends_on"] == str(date.today() + timedelta(days=7))
    early = api("zhen").post(url, json={"action": "pass"})
    assert early.status_code == 409 and early.json()["code"] == "notice_running"

    notices = client.get(f"/api/v1/public/villages/{world.a.village}/notices").json()
    mine = [n for n in notices if n["case_id"] == case["id"]]
    assert mine and mine[0]["running"] and set(mine[0]["facts"]) <= {"name", "size", "category", "grounds"}
    objection = client.post(
        f"/api/v1/public/notices/{mine[0]['county_code']}/{mine[0]['id']}/objections", json={"text": "该户有营业车辆"}
    )
    assert objection.status_code == 201, objection.text
    reopened = api("shuji").get(f"/api/v1/cases/{case['county_code']}/{case['id']}").json()
    assert reopened["step"] == "review" and reopened["round"] == 2
    # The path of before (without the county) redirects, keeping the method and body.
    again = client.post(f"/api/v1/public/notices/{mine[0]['id']}/objections", json={"text": "再次异议"})
    assert again.status_code == 409 and str(again.url).endswith(f"/{mine[0]['county_code']}/{mine[0]['id']}/objections")

    assert api("cunwei").post(url, json={"action": "pass", "review": REVIEW}).json()["step"] == "verify"
    assert api("zhen").post(url, json={"action": "pass"}).json()["step"] == "notice1"
    _backdate(session, case["id"], 0)
    assert api("zhen").post(url, json={"action": "pass"}).json()["step"] == "township"
    batch = api("zhen").post(f"/api/v1/villages/{world.a.village}/steps/township/actions", json={"action": "pass"})
    assert batch.status_code == 200 and [c["step"] for c in batch.json()] == ["notice2"]
    _backdate(session, case["id"], 0)
    assert api("xczx").post(url, json={"action": "pass"}).json()["step"] == "county"
    final = api("xczx").post(url, json={"action": "pass"}).json()
    assert final["status"] == "approved"
    status = session.scalar(select(Household.status).where(Household.id == world.a.household2_id))
    assert status == "11"
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "case", AuditEntry.entity_id == str(case["id"]))
    ).all()
    assert {"procedures:case:passed", "procedures:objection:received", "procedures:case:approved"} <= set(actions)


def test_one_account_holding_both_roles_cannot_sign_twice(api, world, session):
    case = _open(api, world)
    # Unflagged, so that the village's two bodies sign (the flagged path is tested above).
    session.execute(Case.__table__.update().where(Case.id == case["id"]).values(step="verify", related=False))
    session.commit()
    url = f"/api/v1/cases/{case['county_code']}/{case['id']}/actions"
    assert api("shuji").post(url, json={"action": "sign", "body": "work_team"}).status_code == 200
    from zhucun.core.models import RoleGrant, User

    shuji = session.scalars(select(User).where(User.username == "shuji")).one()
    session.add(RoleGrant(user_id=shuji.id, role="village_committee", division_code=world.a.village))
    session.commit()
    wrong = api("zhen").post(url, json={"action": "sign", "body": "village_committee"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_role"
    twice = api("shuji").post(url, json={"action": "sign", "body": "village_committee"})
    assert twice.status_code == 409 and twice.json()["code"] == "one_account_one_signature"
    assert (
        session.scalar(select(func.count()).select_from(CaseSignature).where(CaseSignature.case_id == case["id"])) == 1
    )


def test_the_database_refuses_a_second_signature_from_one_account(api, world, session):
    case = _open(api, world)
    row = {
        "county_code": world.a.county[:6],
        "case_id": case["id"],
        "round": 1,
        "step": "verify",
        "account_id": 42,
        "account_name": "x",
        "village_code": world.a.village,
    }
    session.add(CaseSignature(body="work_team", **row))
    session.flush()
    session.add(CaseSignature(body="village_committee", **row))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_bad_input_is_located_and_writes_nothing(api, world, session):
    before = session.scalar(select(func.count()).select_from(Case))
    response = api("shuji").post("/api/v1/cases", json={"kind": "monitoring", "household_id": world.a.household2_id})
    assert response.status_code == 422 and response.json()["field"] == "category"
    assert session.scalar(select(func.count()).select_from(Case)) == before
    case = _open(api, world)
    wrong = api("zhen").post(f"/api/v1/cases/{case['county_code']}/{case['id']}/actions", json={"action": "pass"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "wrong_role"
