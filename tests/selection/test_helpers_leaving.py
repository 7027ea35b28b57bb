"""A helper who leaves by any path — a posting ended, a recall carried out, a rotation, an
official's term ended — keeps no household: in the same action each of their households
gets one other helper with room (or, with no one, is named in the answer), and the audit
trail says whose households moved."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from tests.selection.test_helpers_api import _households, _open
from zhucun.core.audit import AuditEntry
from zhucun.core.ids import allocate
from zhucun.core.permissions import Role
from zhucun.selection.helpers.models import HelperAssignment


def _helped_by(session, area, *, cadre_id=None, official_id=None, count=2):
    """``count`` new households in care of the area's village, helped by this helper."""
    households = _households(session, area, ["11"] * count)
    first = allocate(session, "helper_assignments", count)
    session.execute(
        insert(HelperAssignment),
        [
            {
                "county_code": area.county[:6],
                "id": first + k,
                "household_id": h,
                "village_code": area.village,
                "cadre_id": cadre_id,
                "official_id": official_id,
                "start_date": date(2026, 1, 5),
            }
            for k, h in enumerate(households)
        ],
    )
    session.commit()
    return households


def _moved(session, area, households, gone):
    """Every household has exactly one open helper, and not the one who left."""
    session.expire_all()
    helped = _open(session, area)
    assert all(h in helped for h in households)
    assert gone not in helped.values()
    counts = session.execute(
        select(HelperAssignment.household_id)
        .where(HelperAssignment.county_code == area.county[:6], HelperAssignment.end_date.is_(None))
        .where(HelperAssignment.household_id.in_(households))
    ).all()
    assert len(counts) == len(households)
    ended = session.scalars(
        select(HelperAssignment.end_reason).where(
            HelperAssignment.household_id.in_(households), HelperAssignment.end_date.is_not(None)
        )
    ).all()
    assert ended == ["reassigned"] * len(households)


def _released(session, kind, ident, moved):
    entry = session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "selection:helper:released",
            AuditEntry.entity == kind,
            AuditEntry.entity_id == str(ident),
        )
    ).one()
    assert entry.after == {"households": moved, "reassigned": moved, "without": 0}
    return entry


def test_ending_a_posting_moves_the_cadre_households(api, world, session):
    a = world.a
    theirs = _helped_by(session, a, cadre_id=a.posted_cadre_id)
    url = f"/api/v1/postings/{a.county_code}/{a.posting_id}/end"
    ended = api("zzb").post(url, json={"end_date": date.today().isoformat(), "end_reason": "调离"})
    assert ended.status_code == 200, ended.text
    assert ended.json()["helpers"] == {
        "households": 2,
        "assigned": 2,
        "without": 0,
        "without_households": [],
    }
    _moved(session, a, theirs, ("cadre", a.posted_cadre_id))
    assert _released(session, "cadre", a.posted_cadre_id, 2).reason == "调离"


def test_a_recall_carried_out_moves_the_cadre_households(api, world, session):
    a = world.a
    theirs = _helped_by(session, a, cadre_id=a.posted_cadre_id, count=3)
    body = {"county_code": a.county[:6], "posting_id": a.posting_id, "reasons": "长期不在岗"}
    case = api(world.username(Role.ORG_DEPT)).post("/api/v1/recalls", json=body).json()
    url = f"/api/v1/recalls/{case['county_code']}/{case['id']}/actions"
    done = api(world.username(Role.UNIT)).post(url, json={"action": "pass", "reason": "已召回"})
    assert done.status_code == 200, done.text
    assert done.json()["facts"]["helpers"]["assigned"] == 3
    _moved(session, a, theirs, ("cadre", a.posted_cadre_id))
    _released(session, "cadre", a.posted_cadre_id, 3)


def test_a_rotation_moves_the_rotated_cadres_households(api, world, session):
    a = world.a
    theirs = _helped_by(session, a, cadre_id=a.posted_cadre_id)
    org = api(world.username(Role.ORG_DEPT))
    response = org.post(f"/api/v1/terms/counties/{a.county}/rotate", json={"term": 2024})
    assert response.status_code == 200, response.text
    assert response.json()["helpers"]["assigned"] == 2 and response.json()["helpers"]["without"] == 0
    _moved(session, a, theirs, ("cadre", a.posted_cadre_id))
    assert _released(session, "cadre", a.posted_cadre_id, 2).reason == "任期届满"


def test_an_official_whose_term_ends_keeps_no_household(api, world, session):
    a = world.a
    theirs = _helped_by(session, a, official_id=a.official_id)
    url = f"/api/v1/officials/{a.county_code}/{a.official_id}/end"
    ended = api("cunwei").post(url, json={"term_end": date.today().isoformat(), "reason": "换届"})
    assert ended.status_code == 200, ended.text
    _moved(session, a, theirs, ("official", a.official_id))
    assert _released(session, "official", a.official_id, 2).reason == "换届"


def test_a_helper_with_no_households_leaves_without_an_entry(api, world, session):
    a = world.a
    url = f"/api/v1/postings/{a.county_code}/{a.posting_id}/end"
    ended = api("zzb").post(url, json={"end_date": date.today().isoformat(), "end_reason": "调离"})
    assert ended.status_code == 200, ended.text
    assert ended.json()["helpers"]["households"] == 0
    assert not session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:helper:released")).all()
