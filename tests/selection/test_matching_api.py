"""Selection for a term through the API: villages marked, cadres nominated and judged by
named rules, the matching proposed, a hand edit refused with the rule it breaks, and the
approval that creates the postings in one audited action."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.factories.selection import api_cadre
from zhucun.core.audit import AuditEntry
from zhucun.selection.cadres.models import CadrePosting
from zhucun.selection.matching.models import MatchRun

TERM = 2026


def _cadre(api, world, seq, **extra):
    return api_cadre(api, world, seq, **extra)


def _setup(api, world, members=2, **extra):
    base = f"/api/v1/selection/{TERM}"
    marked = api("zzb").post(f"{base}/villages/{world.a.village}", json={"needs": ["industry"], "team_size": 3})
    assert marked.status_code == 200, marked.text
    ids = [world.a.cadre_id] + [_cadre(api, world, 600 + k, skills="产业发展", **extra) for k in range(members)]
    for cadre_id in ids:
        response = api("zzb").post(f"{base}/cadres/{cadre_id}/nomination", json={"note": "单位推荐"})
        assert response.status_code == 201, response.text
    return base, ids


def test_a_marked_village_gets_a_complete_team_and_approval_posts_it(api, world, session):
    base, ids = _setup(api, world)
    county = world.a.county
    result = api("zzb").post(f"{base}/counties/{county}/match", json={"dry_run": False})
    assert result.status_code == 200, result.text
    body = result.json()
    team = [a for a in body["assignments"] if a["village_code"] == world.a.village]
    assert sorted(a["cadre_id"] for a in team) == sorted(ids)
    assert [a["role"] for a in team].count("first_secretary") == 1
    assert body["objective"] >= body["greedy_objective"] and body["gap"] == 0
    assert {u["village_code"] for u in body["unfilled"]}.isdisjoint({world.a.village})
    approve = {"start_date": "2026-03-01", "reason": "县委组织部审定"}
    # 张卫东 is still first secretary of the village: the new team may not be posted beside him.
    before = session.scalar(select(func.count()).select_from(CadrePosting))
    serving = api("zzb").post(f"{base}/counties/{county}/approve", json=approve)
    assert serving.status_code == 409 and serving.json()["code"] == "team_in_post"
    assert serving.json()["message"].startswith("花河村仍有在岗工作队") and "轮换" in serving.json()["message"]
    assert session.scalar(select(func.count()).select_from(CadrePosting)) == before
    assert session.get(MatchRun, (county[:6], TERM)).status == "proposed"
    ended = api("zzb").post(
        f"/api/v1/postings/{world.a.county_code}/{world.a.posting_id}/end",
        json={"end_date": "2026-02-28", "end_reason": "任期届满"},
    )
    assert ended.status_code == 200, ended.text
    approved = api("zzb").post(f"{base}/counties/{county}/approve", json=approve)
    assert approved.status_code == 200, approved.text
    postings = session.scalars(select(CadrePosting).where(CadrePosting.cadre_id.in_(ids))).all()
    opened = [p for p in postings if p.end_date is None and p.village_code == world.a.village]
    assert sorted(p.cadre_id for p in opened) == sorted(ids)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:match:approved")).one()
    assert entry.reason == "县委组织部审定" and len(entry.after["postings"]) == approved.json()["postings"]
    again = api("zzb").post(f"{base}/counties/{county}/match", json={"dry_run": False})
    assert again.status_code == 409 and again.json()["code"] == "approved"


def test_candidates_show_each_failed_rule(api, world):
    base, _ids = _setup(api, world, members=0)
    young = _cadre(api, world, 700, party_member=False, party_joined=None, work_started="2025-09-01")
    api("zzb").post(f"{base}/cadres/{young}/nomination", json={})
    api("zzb").post(f"{base}/cadres/{world.a.county_code}/{world.a.posted_cadre_id}/nomination", json={})
    report = {c["cadre_id"]: c for c in api("zzb").get(f"{base}/counties/{world.a.county}/candidates").json()}
    assert report[world.a.cadre_id]["faults"] == [] and report[world.a.cadre_id]["first_secretary"]
    assert {f["code"] for f in report[young]["faults"]} == {"full_member_years", "work_years"}
    assert report[young]["member"] and not report[young]["first_secretary"]
    assert [f["code"] for f in report[world.a.posted_cadre_id]["faults"]] == ["already_posted"]


def test_a_hand_edit_that_breaks_a_rule_is_refused_with_the_rule_named(api, world):
    base, ids = _setup(api, world)
    home = _cadre(api, world, 710, hometown_code=world.a.village)
    api("zzb").post(f"{base}/cadres/{home}/nomination", json={})
    api("zzb").post(f"{base}/counties/{world.a.county}/match", json={"dry_run": False})
    path = f"{base}/villages/{world.a.village}/assignments"
    refused = api("zzb").post(path, json={"role": "member", "cadre_id": home, "replaces": ids[1]})
    assert refused.status_code == 422 and refused.json()["code"] == "hometown"
    assert "home" in refused.json()["message"] or "家乡" in refused.json()["message"]
    api("zzb").post(f"{base}/cadres/{world.a.county_code}/{world.a.posted_cadre_id}/nomination", json={})
    busy = api("zzb").post(path, json={"role": "member", "cadre_id": world.a.posted_cadre_id, "replaces": ids[1]})
    assert busy.status_code == 422 and busy.json()["code"] == "not_eligible"


def test_default_marking_takes_key_and_weak_branch_villages(api, world, session):
    response = api("zzb").post(f"/api/v1/selection/{TERM}/counties/{world.a.county}/villages/defaults")
    assert response.status_code == 200, response.text
    marked = api("zzb").get(f"/api/v1/selection/{TERM}/villages", params={"area": world.a.county}).json()
    assert len(marked) == response.json()["marked"]
    assert all(m["team_size"] == 3 for m in marked)


def test_the_proposal_names_the_refused_and_the_ineligible(api, world, client, web):
    base, _ids = _setup(api, world)
    home = _cadre(api, world, 720, hometown_code=world.a.village, skills="产业发展")
    young = _cadre(api, world, 721, party_member=False, party_joined=None, work_started="2025-09-01")
    for cadre_id in (home, young):
        assert api("zzb").post(f"{base}/cadres/{cadre_id}/nomination", json={}).status_code == 201
    body = api("zzb").post(f"{base}/counties/{world.a.county}/match", json={"dry_run": True}).json()
    assert home not in {a["cadre_id"] for a in body["assignments"]}
    refused = [r for r in body["refused"] if r["cadre_id"] == home]
    assert [r["village_code"] for r in refused] == [world.a.village]
    assert [rule["code"] for rule in refused[0]["rules"]] == ["hometown"]
    assert "家乡" in refused[0]["rules"][0]["label"] and "县" in refused[0]["rules"][0]["label"]
    faults = {r["cadre_id"]: r for r in body["ineligible"]}
    assert {rule["code"] for rule in faults[young]["rules"]} == {"full_member_years", "work_years"}
    assert faults[young]["member"] and not faults[young]["first_secretary"]
    assert set(faults) == {young}
    web("zzb")
    page = client.get(f"/selection?year={TERM}&county={world.a.county}")
    assert page.status_code == 200 and "候选720" in page.text and "家乡" in page.text
