"""Causes and plans through the API on a real database: a household's causes and plan, its
measures warned when they leave a cause unanswered, progress to a result, a helper limited
to the households in their care, a village's development plan kept by the work team, and
bad input answered with a located 4xx that writes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, insert, select

from zhucun.core.audit import AuditEntry
from zhucun.core.ids import allocate
from zhucun.core.models import User
from zhucun.identification.plans.models import HouseholdPlan, PlanMeasure, PlanProgress, VillageProject
from zhucun.registry.models import Household
from zhucun.selection.helpers.models import HelperAssignment

SOON = (date.today() + timedelta(days=90)).isoformat()


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _written(session) -> tuple[int, ...]:
    return tuple(_count(session, m) for m in (HouseholdPlan, PlanMeasure, PlanProgress, VillageProject, AuditEntry))


def _household_url(world, household_id=None) -> str:
    return f"/api/v1/households/{world.a.county[:6]}/{household_id or world.a.household_id}"


def test_a_plan_answers_the_causes_and_its_measures_reach_a_result(api, world, session):
    team = api("duiyuan")
    base = _household_url(world)
    causes = team.request("PUT", f"{base}/causes", json={"main_cause": "01", "other_causes": ["08"], "reason": "入户"})
    assert causes.status_code == 200 and causes.json() == {"main_cause": "01", "other_causes": ["08"]}
    created = team.post(f"{base}/plan", json={"goal": "稳定增收，看病有保障"})
    assert created.status_code == 201, created.text
    plan = created.json()
    assert plan["unanswered_causes"] == ["01", "08"] and plan["measures"] == []
    url = f"/api/v1/plans/{plan['county_code']}/{plan['id']}"
    medical = team.post(f"{url}/measures", json={"kind": "medical", "target": "办理慢病卡", "deadline": SOON})
    assert medical.status_code == 201 and medical.json()["unanswered_causes"] == ["08"]
    training = team.post(f"{url}/measures", json={"kind": "training", "target": "参加电焊培训", "deadline": SOON})
    assert training.json()["unanswered_causes"] == []
    measure = training.json()["measures"][-1]
    progress = f"{url}/measures/{measure['id']}/progress"
    step = team.post(progress, json={"percent": 40, "note": "已报名"})
    assert step.status_code == 200 and (step.json()["status"], step.json()["progress"]) == ("doing", 40)
    done = team.post(progress, json={"percent": 90, "note": "结业", "completed": True, "result": "取得电焊证书"})
    assert done.json()["status"] == "done" and done.json()["progress"] == 100
    assert done.json()["result"] == "取得电焊证书" and done.json()["completed_on"] == date.today().isoformat()
    assert [e["percent"] for e in done.json()["entries"]] == [40, 100]
    closed = team.post(progress, json={"percent": 50, "note": "再记一次"})
    assert closed.status_code == 422 and closed.json()["field"] == "measure_id"
    again = team.post(f"{base}/plan", json={"goal": "第二份"})
    assert again.status_code == 409 and again.json()["field"] == "household_id"
    shown = team.get(url).json()
    assert [m["kind"] for m in shown["measures"]] == ["medical", "training"]
    listed = team.get(f"/api/v1/plans?division={world.a.village}").json()
    row = next(r for r in listed["items"] if r["id"] == plan["id"])
    assert (row["measures"], row["done"], row["overdue"]) == (2, 1, 0) and listed["total"] >= 1
    actions = session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.entity == "households", AuditEntry.entity_id == str(plan["household_id"])
        )
    ).all()
    for tag in ("causes:set", "plan:created", "measure:added", "measure:progressed"):
        assert f"identification:{tag}" in actions


def test_bad_input_is_located_and_writes_nothing(api, world, session):
    team = api("duiyuan")
    base = _household_url(world)
    plan = team.post(f"{base}/plan", json={"goal": "稳定增收"}).json()
    url = f"/api/v1/plans/{plan['county_code']}/{plan['id']}"
    before = _written(session)
    past = (date.today() - timedelta(days=1)).isoformat()
    far = (date.today() + timedelta(days=6 * 366)).isoformat()
    for body, field in (
        ({"kind": "medical", "target": "慢病卡", "deadline": past}, "deadline"),
        ({"kind": "medical", "target": "慢病卡", "deadline": far}, "deadline"),
        ({"kind": "nonesuch", "target": "慢病卡", "deadline": SOON}, "kind"),
    ):
        answer = team.post(f"{url}/measures", json=body, headers={"Accept-Language": "zh-CN"})
        assert answer.status_code == 422 and answer.json()["field"] == field, answer.text
    assert "期限" in team.post(f"{url}/measures", json={"kind": "medical", "target": "x", "deadline": past}).text
    wrong = team.request("PUT", f"{base}/causes", json={"main_cause": "01", "other_causes": ["01"]})
    assert wrong.status_code == 422 and wrong.json()["field"] == "other_causes"
    unknown = team.request("PUT", f"{base}/causes", json={"main_cause": "77"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "main_cause"
    measure = team.post(f"{url}/measures", json={"kind": "medical", "target": "慢病卡", "deadline": SOON}).json()
    after_measure = _written(session)
    progress = f"{url}/measures/{measure['measures'][0]['id']}/progress"
    no_result = team.post(progress, json={"percent": 100, "note": "完成", "completed": True})
    assert no_result.status_code == 422 and no_result.json()["field"] == "result"
    assert _written(session) == after_measure
    assert before[0] == after_measure[0] and after_measure[1] == before[1] + 1


def test_a_helper_edits_only_the_plans_of_the_households_in_their_care(api, world, session):
    helper = api("bangfu")
    base = _household_url(world, world.a.household2_id)
    refused = helper.post(f"{base}/plan", json={"goal": "稳定增收"})
    assert refused.status_code == 403 and _count(session, HouseholdPlan) == 0
    account = session.scalar(select(User.id).where(User.username == "bangfu"))
    home = session.scalars(select(Household).where(Household.id == world.a.household2_id)).one()
    session.execute(
        insert(HelperAssignment).values(
            county_code=home.county_code,
            id=allocate(session, "helper_assignments"),
            household_id=home.id,
            village_code=home.village_code,
            account_id=account,
            start_date=date.today(),
        )
    )
    session.commit()
    created = helper.post(f"{base}/plan", json={"goal": "稳定增收"})
    assert created.status_code == 201 and created.json()["helper"]
    # Another household of the same village stays out of reach.
    assert helper.post(f"{_household_url(world)}/plan", json={"goal": "x"}).status_code == 403


def test_the_village_plan_is_the_work_teams(api, world, session):
    shuji = api("shuji")
    url = f"/api/v1/villages/{world.a.village}/projects"
    road = shuji.post(url, json={"year": 2026, "category": "infrastructure", "name": "通组道路", "budget": "350000"})
    assert road.status_code == 201, road.text
    shuji.post(url, json={"year": 2026, "category": "culture", "name": "文化广场", "budget": "120000.50"})
    same = shuji.post(url, json={"year": 2026, "category": "industry", "name": "通组道路", "budget": "1"})
    assert same.status_code == 409 and same.json()["field"] == "name"
    negative = shuji.post(url, json={"year": 2026, "category": "industry", "name": "茶园", "budget": "-5"})
    assert negative.status_code == 422
    assert (
        api("cunwei").post(url, json={"year": 2026, "category": "industry", "name": "茶园", "budget": "1"}).status_code
        == 403
    )
    project = road.json()
    changed = shuji.patch(
        f"/api/v1/village-projects/{project['county_code']}/{project['id']}",
        json={"status": "funded", "reason": "资金下达"},
    )
    assert changed.status_code == 200 and changed.json()["status"] == "funded"
    no_reason = shuji.patch(
        f"/api/v1/village-projects/{project['county_code']}/{project['id']}", json={"status": "done"}
    )
    assert no_reason.status_code == 422
    plan = api("cunwei").get(f"/api/v1/villages/{world.a.village}/development-plan?year=2026").json()
    assert [p["name"] for p in plan["projects"]] == ["文化广场", "通组道路"]
    assert plan["budget"] == "470000.50"
    assert _count(session, VillageProject) == 2


def test_overdue_measures_are_listed_and_counted_on_the_home_page(api, client, web, world, session):
    team = api("duiyuan")
    plan = team.post(f"{_household_url(world)}/plan", json={"goal": "稳定增收"}).json()
    url = f"/api/v1/plans/{plan['county_code']}/{plan['id']}"
    measure = team.post(f"{url}/measures", json={"kind": "housing", "target": "危房改造", "deadline": SOON}).json()
    # Its deadline passes (a measure's deadline cannot be set in the past through the API).
    session.execute(
        PlanMeasure.__table__.update()
        .where(PlanMeasure.id == measure["measures"][0]["id"])
        .values(deadline=date.today() - timedelta(days=3))
    )
    session.commit()
    late = team.get(f"/api/v1/plans?division={world.a.village}&overdue=true").json()
    assert [r["id"] for r in late["items"]] == [plan["id"]] and late["items"][0]["overdue"] == 1
    assert team.get(url).json()["measures"][0]["overdue"] is True
    web("duiyuan")
    home = client.get("/?lang=en").text
    item = home.split(f'href="/identification/plans?division={world.a.village}&amp;overdue=1"', 1)[1]
    assert item.split('data-testid="work-count">', 1)[1].split("<", 1)[0] == "1"
