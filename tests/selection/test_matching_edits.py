"""The organisation department's hand work on a proposal, through the API: an empty post
filled by hand, every broken rule named in the reader's language (the role by its label,
never a code), a unit's own quota, and an approval that refuses an incomplete team —
each refusal writing nothing."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tests.factories.selection import api_cadre
from zhucun.core.audit import AuditEntry
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import CadrePosting
from zhucun.selection.matching import approval
from zhucun.selection.matching.models import Assignment, MatchRun, UnitQuota

TERM = 2027


def _cadre(api, world, seq, **extra):
    return api_cadre(api, world, seq, name=f"调整{seq}", **extra)


def _marked(api, world, cadres: int, first: int = 800, **extra):
    """The village marked for a team of three and ``cadres`` new cadres nominated."""
    base = f"/api/v1/selection/{TERM}"
    marked = api("zzb").post(f"{base}/villages/{world.a.village}", json={"needs": [], "team_size": 3})
    assert marked.status_code == 200, marked.text
    ids = [_cadre(api, world, first + k, **extra) for k in range(cadres)]
    for cadre_id in ids:
        path = f"{base}/cadres/{world.a.county_code}/{cadre_id}/nomination"
        assert api("zzb").post(path, json={}).status_code == 201
    return base, ids


def _team(session, world):
    rows = session.scalars(
        select(Assignment).where(Assignment.term == TERM, Assignment.village_code == world.a.village)
    )
    return sorted((a.role, a.cadre_id) for a in rows)


def test_empty_posts_are_filled_by_hand_until_the_team_is_full(api, world, session):
    base, (fs, m1, m2, extra) = _marked(api, world, 4)
    path = f"{base}/villages/{world.a.village}/assignments"
    for role, cadre_id in (("first_secretary", fs), ("member", m1), ("member", m2)):
        added = api("zzb").post(path, json={"role": role, "cadre_id": cadre_id, "replaces": None})
        assert added.status_code == 200, added.text
        assert added.json() == {"village_code": world.a.village, "cadre_id": cadre_id, "role": role}
    assert _team(session, world) == sorted([("first_secretary", fs), ("member", m1), ("member", m2)])
    edits = session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:match:edited")).all()
    assert [e.after["cadre_id"] for e in edits] == [fs, m1, m2] and all(e.before == {"replaces": None} for e in edits)
    second = api("zzb").post(path, json={"role": "first_secretary", "cadre_id": extra, "replaces": None})
    assert second.status_code == 422 and second.json()["code"] == "post_taken"
    assert "第一书记" in second.json()["message"] and "first_secretary" not in second.json()["message"]
    third = api("zzb").post(path, json={"role": "member", "cadre_id": extra, "replaces": None})
    assert third.status_code == 422 and "工作队员" in third.json()["message"]
    assert _team(session, world) == sorted([("first_secretary", fs), ("member", m1), ("member", m2)])


def test_an_ineligible_cadre_is_refused_with_each_failed_rule_and_the_role_named(api, world, session):
    today = date.today()
    # Joined fourteen months ago: a full member for two months only (the probation is a year).
    joined = today.replace(day=1, year=today.year - 1) - timedelta(days=60)
    base, (young,) = _marked(api, world, 1, party_joined=joined.isoformat(), work_started=f"{today.year - 1}-01-01")
    path = f"{base}/villages/{world.a.village}/assignments"
    refused = api("zzb").post(path, json={"role": "first_secretary", "cadre_id": young})
    assert refused.status_code == 422 and refused.json()["code"] == "not_eligible"
    message = refused.json()["message"]
    assert message.startswith("此项调整违反规则：该干部不符合第一书记的条件")
    assert "未满 1 年正式党员" in message and "工作年限不足 2 年" in message
    assert "first_secretary" not in message and "not_eligible" not in message
    english = api("zzb").post(
        path, json={"role": "first_secretary", "cadre_id": young}, headers={"Accept-Language": "en"}
    )
    assert "first secretary" in english.json()["message"] and "a full party member for less than 1" in english.text
    # As a member the same cadre is fine: only the first secretary's rules bar them.
    member = api("zzb").post(path, json={"role": "member", "cadre_id": young})
    assert member.status_code == 200, member.text
    posted = world.a.posted_cadre_id
    assert api("zzb").post(f"{base}/cadres/{world.a.county_code}/{posted}/nomination", json={}).status_code == 201
    busy = api("zzb").post(path, json={"role": "member", "cadre_id": posted})
    assert busy.status_code == 422 and "工作队员" in busy.json()["message"] and "已在派驻中" in busy.json()["message"]
    assert _team(session, world) == [("member", young)]


def test_a_full_party_member_counts_from_the_end_of_probation(api, world):
    today = date.today()
    probation = today.replace(day=1, year=today.year - 1) - timedelta(days=60)
    full = today.replace(day=1, year=today.year - 2) - timedelta(days=60)
    base, _ = _marked(api, world, 0)
    recent = _cadre(api, world, 820, party_joined=probation.isoformat())
    older = _cadre(api, world, 821, party_joined=full.isoformat())
    for cadre_id in (recent, older):
        assert api("zzb").post(f"{base}/cadres/{world.a.county_code}/{cadre_id}/nomination", json={}).status_code == 201
    report = {c["cadre_id"]: c for c in api("zzb").get(f"{base}/counties/{world.a.county}/candidates").json()}
    assert [f["code"] for f in report[recent]["faults"]] == ["full_member_years"]
    assert "未满 1 年正式党员" in report[recent]["faults"][0]["label"]
    assert report[older]["faults"] == [] and report[older]["first_secretary"]


def test_approval_refuses_an_incomplete_team_naming_the_village_and_writes_nothing(api, world, session):
    county = world.a.county
    # A run with nobody nominated yet: the team is then made by hand alone.
    base, _ = _marked(api, world, 0)
    assert api("zzb").post(f"{base}/counties/{county}/match", json={"dry_run": False}).status_code == 200
    _, (fs, member) = _marked(api, world, 2, first=830)
    path = f"{base}/villages/{world.a.village}/assignments"
    for role, cadre_id in (("first_secretary", fs), ("member", member)):
        assert api("zzb").post(path, json={"role": role, "cadre_id": cadre_id}).status_code == 200
    postings = session.scalar(select(func.count()).select_from(CadrePosting))
    # Selection's own entries: each api() call logs a token in, which is no change of the proposal.
    mine = select(func.count()).select_from(AuditEntry).where(AuditEntry.action.startswith("selection:"))
    entries = session.scalar(mine)
    refused = api("zzb").post(
        f"{base}/counties/{county}/approve", json={"start_date": f"{TERM}-03-01", "reason": "县委组织部审定"}
    )
    assert refused.status_code == 422 and refused.json()["code"] == "incomplete_team"
    assert refused.json()["message"].startswith("花河村的拟派工作队不完整")
    assert world.a.village not in refused.json()["message"]
    assert session.scalar(select(func.count()).select_from(CadrePosting)) == postings
    assert session.scalar(mine) == entries
    assert session.get(MatchRun, (county[:6], TERM)).status == "proposed"


def test_a_units_own_quota_is_set_audited_and_binds_a_hand_edit(api, world, session):
    base, (fs, m1, m2) = _marked(api, world, 3)
    quota = f"{base}/units/{world.a.unit_id}/quota"
    set_ = api("zzb").request("PUT", quota, json={"county": world.a.county, "quota": 2})
    assert set_.status_code == 200, set_.text
    assert set_.json() == {"term": TERM, "unit_id": world.a.unit_id, "division_code": world.a.county, "quota": 2}
    row = session.get(UnitQuota, (world.a.county[:6], TERM, world.a.unit_id))
    assert row is not None and row.quota == 2
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:quota:set")).one()
    assert entry.before is None and entry.after["quota"] == 2 and entry.entity_id == str(world.a.unit_id)
    assert api("zzb").request("PUT", quota, json={"county": world.a.county, "quota": 0}).status_code == 422
    # County B's department does not see county A.
    other = api(world.b.users[_role("zzb", world)]).request("PUT", quota, json={"county": world.a.county, "quota": 5})
    assert other.status_code == 404
    path = f"{base}/villages/{world.a.village}/assignments"
    for role, cadre_id in (("first_secretary", fs), ("member", m1)):
        assert api("zzb").post(path, json={"role": role, "cadre_id": cadre_id}).status_code == 200
    over = api("zzb").post(path, json={"role": "member", "cadre_id": m2})
    assert over.status_code == 422 and over.json()["code"] == "unit_quota"
    assert "派出单位 2 人的名额已用完" in over.json()["message"]
    assert session.get(UnitQuota, (world.a.county[:6], TERM, world.a.unit_id)).quota == 2


def _role(username, world):
    return next(role for role, name in world.a.users.items() if name == username)


def test_namesake_villages_are_told_apart_by_their_codes(session, world):
    twin = world.b.village[:9] + "299"
    session.add(Division(code=twin, name="白岩1镇1村", level="village", parent_code=world.b.township))
    session.flush()
    named = approval._names(session, [twin, world.b.village, world.b.village[:9] + "202"])
    assert named == f"白岩1镇1村（{world.b.village}）、白岩1镇2村、白岩1镇1村（{twin}）"
