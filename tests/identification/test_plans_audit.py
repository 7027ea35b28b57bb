"""Every change to causes, plans, measures, projects and measure kinds leaves one audit
entry naming the object, its key and its division (the entries the plans service writes
through its one recording helper)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from zhucun.core.audit import AuditEntry
from zhucun.core.auth import Principal
from zhucun.identification.plans import service

SOON = (date.today() + timedelta(days=90)).isoformat()


def _entries(session) -> list[tuple[str, str, str, str | None]]:
    session.expire_all()
    rows = session.execute(
        select(AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.division_code)
        .where(AuditEntry.action.like("identification:%"))
        .order_by(AuditEntry.at, AuditEntry.county_code, AuditEntry.seq)
    )
    return [tuple(row) for row in rows]


def test_each_change_is_recorded_against_its_object_and_division(api, world, session):
    before = _entries(session)
    county, household = world.a.county[:6], world.a.household_id
    team, shuji = api("duiyuan"), api("shuji")
    base = f"/api/v1/households/{county}/{household}"
    assert team.request("PUT", f"{base}/causes", json={"main_cause": "01", "reason": "入户"}).status_code == 200
    plan = team.post(f"{base}/plan", json={"goal": "稳定增收"}).json()
    url = f"/api/v1/plans/{plan['county_code']}/{plan['id']}"
    measure = team.post(f"{url}/measures", json={"kind": "medical", "target": "办理慢病卡", "deadline": SOON})
    measure_id = measure.json()["measures"][-1]["id"]
    assert team.post(f"{url}/measures/{measure_id}/progress", json={"percent": 40, "note": "已报名"}).status_code == 200
    projects = f"/api/v1/villages/{world.a.village}/projects"
    project = shuji.post(projects, json={"year": 2026, "category": "culture", "name": "文化广场", "budget": "1000"})
    project_url = f"/api/v1/village-projects/{county}/{project.json()['id']}"
    assert shuji.patch(project_url, json={"status": "funded", "reason": "资金下达"}).status_code == 200
    service.configure_kind(
        session, actor=Principal.system(), code="tea", label_zh="茶产业", label_en="Tea", causes="", active=True
    )
    village, project_id = world.a.village, str(project.json()["id"])
    assert [e for e in _entries(session) if e not in before] == [
        ("identification:causes:set", "households", str(household), village),
        ("identification:plan:created", "households", str(household), village),
        ("identification:measure:added", "households", str(household), village),
        ("identification:measure:progressed", "households", str(household), village),
        ("identification:project:added", "village_projects", project_id, village),
        ("identification:project:changed", "village_projects", project_id, village),
        ("identification:measurekind:configured", "plan_measure_kinds", "tea", None),
    ]
