"""Helpers through the API and the service, on a real database: the county's assignment in
bulk within the cap, kept on a second run, a leaving helper's households moved in the same
action (or nothing changed when no one has room), and the coverage report per village and
township."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select, update

from tests.factories import selection as cadre_factory
from zhucun.core.audit import AuditEntry
from zhucun.core.ids import allocate
from zhucun.core.models import User
from zhucun.core.permissions import Role
from zhucun.registry.models import Household, Member
from zhucun.registry.officials.models import VillageOfficial
from zhucun.selection.cadres.models import CadrePosting
from zhucun.selection.helpers import rules
from zhucun.selection.helpers.models import HelperAssignment


def _households(session, area, statuses, attribute="1"):
    """Households in the area's village with these statuses, inserted in one statement."""
    county = area.county[:6]
    first = allocate(session, "households", len(statuses))
    rows = [
        {
            "county_code": county,
            "id": first + k,
            "household_no": f"{area.village}H{first + k}",
            "village_code": area.village,
            "member_count": 1,
            "status": status,
            "attribute": attribute,
        }
        for k, status in enumerate(statuses)
    ]
    session.execute(insert(Household), rows)
    session.flush()
    return [r["id"] for r in rows]


def _helper(session, settings, area, seq):
    cadre = cadre_factory.cadre(
        session, settings, area.county, name=f"帮扶{seq}", born="19850101", male=True, seq=seq, unit_id=area.unit_id
    )
    cadre_factory.posting(session, cadre, area.village, role="3", start="2025-03-01")
    return cadre.id


def _in_care(session, area):
    return session.scalars(
        select(Household.id).where(
            Household.county_code == area.county[:6], Household.status.in_(rules.IN_CARE_STATUSES)
        )
    ).all()


def _open(session, area):
    """Each household's open helper: ("cadre", id), ("official", id) or ("account", id)."""
    a = HelperAssignment
    rows = session.execute(
        select(a.household_id, a.cadre_id, a.official_id, a.account_id).where(
            a.county_code == area.county[:6], a.end_date.is_(None)
        )
    ).all()
    return {
        h: ("cadre", c) if c is not None else ("official", o) if o is not None else ("account", u)
        for h, c, o, u in rows
    }


def _helper_account(session, area):
    """The area's helper account (a helper who is neither cadre nor official)."""
    return ("account", session.scalar(select(User.id).where(User.username == area.users[Role.HELPER])))


def _end_officials(session, area):
    session.execute(
        update(VillageOfficial)
        .where(VillageOfficial.county_code == area.county[:6], VillageOfficial.term_end.is_(None))
        .values(term_end=date(2026, 1, 1))
    )
    session.commit()


def _weights(session, ids):
    rows = session.execute(select(Household.id, Household.status, Household.attribute).where(Household.id.in_(ids)))
    return {i: (2 if s in rules.MONITORED_STATUSES or a == "3" else 1) for i, s, a in rows}


def test_every_household_in_care_gets_one_helper_within_the_cap(api, world, session, settings):
    a = world.a
    _households(session, a, ["11", "13", "21", "22", "14", "00"])
    extra = _helper(session, settings, a, 801)
    session.commit()
    response = api("zzb").post("/api/v1/helpers/assign", json={"county": a.county})
    assert response.status_code == 200, response.text
    in_care = _in_care(session, a)
    helped = _open(session, a)
    assert sorted(helped) == sorted(in_care)
    weights = _weights(session, in_care)
    for helper in set(helped.values()):
        assert sum(weights[h] for h, c in helped.items() if c == helper) <= rules.DEFAULT_CAP
    pool = {("cadre", a.posted_cadre_id), ("cadre", extra), ("official", a.official_id), _helper_account(session, a)}
    assert set(helped.values()) <= pool and ("official", a.official_id) in helped.values()
    assert response.json()["assigned"] == len(in_care) and response.json()["without"] == 0
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:helper:assigned")).one()
    assert entry.after["assigned"] == len(in_care)
    again = api("zzb").post("/api/v1/helpers/assign", json={"county": a.county}).json()
    assert again["assigned"] == 0 and again["kept"] == len(in_care)
    assert _open(session, a) == helped


def test_a_leaving_helper_households_move_in_the_same_action(api, world, session, settings):
    a = world.a
    _households(session, a, ["11", "12"])
    stays = _helper(session, settings, a, 802)
    session.commit()
    api("zzb").post("/api/v1/helpers/assign", json={"county": a.county})
    before = _open(session, a)
    theirs = [h for h, c in before.items() if c == ("cadre", a.posted_cadre_id)]
    assert theirs
    response = api("zzb").post(f"/api/v1/helpers/cadres/{a.posted_cadre_id}/release", json={"reason": "调离本县"})
    assert response.status_code == 200, response.text
    after = _open(session, a)
    assert sorted(after) == sorted(before)
    assert all(after[h] in {("cadre", stays), ("official", a.official_id)} for h in theirs)
    ended = session.scalars(
        select(HelperAssignment).where(
            HelperAssignment.cadre_id == a.posted_cadre_id, HelperAssignment.end_date.is_not(None)
        )
    ).all()
    assert sorted(e.household_id for e in ended) == sorted(theirs) and {e.end_reason for e in ended} == {"reassigned"}
    posting = session.scalars(select(CadrePosting).where(CadrePosting.cadre_id == a.posted_cadre_id)).all()
    assert all(p.end_date is not None for p in posting)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:helper:released")).one()
    assert entry.reason == "调离本县" and entry.entity_id == str(a.posted_cadre_id)


def _no_helper_accounts(session, area):
    session.execute(update(User).where(User.username == area.users[Role.HELPER]).values(is_active=False))
    session.commit()


def test_when_no_one_has_room_the_households_are_named_and_the_coverage_shows_them(api, world, session):
    a = world.a
    _end_officials(session, a)  # the village's official would have room otherwise
    _no_helper_accounts(session, a)  # and so would the village's helper account
    api("zzb").post("/api/v1/helpers/assign", json={"county": a.county})
    before = _open(session, a)
    assert before and set(before.values()) == {("cadre", a.posted_cadre_id)}
    response = api("zzb").post(f"/api/v1/helpers/cadres/{a.posted_cadre_id}/release", json={"reason": "调离本县"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["households"] == len(before) and body["assigned"] == 0
    assert body["without"] == len(before) and sorted(body["without_households"]) == sorted(before)
    session.expire_all()
    # The helper is gone all the same: no household keeps them, and the posting ended.
    assert _open(session, a) == {}
    assert not session.scalar(
        select(func.count()).where(CadrePosting.cadre_id == a.posted_cadre_id, CadrePosting.end_date.is_(None))
    )
    ended = session.scalars(select(HelperAssignment.end_reason).where(HelperAssignment.end_date.is_not(None))).all()
    assert set(ended) == {"helper left; no helper with room"}
    coverage = api("zzb").get("/api/v1/helpers/coverage", params={"division": a.county}).json()
    village = next(v for v in coverage["villages"] if v["code"] == a.village)
    assert village["without_helper"] == len(before)


def test_coverage_per_village_and_township(api, world, session):
    a = world.a
    _households(session, a, ["11", "21", "22", "23", "12"], attribute="3")
    _no_helper_accounts(session, a)
    api("zzb").post("/api/v1/helpers/assign", json={"county": a.county})
    in_care = len(_in_care(session, a))
    helped = len(_open(session, a))
    report = api("zzb").get("/api/v1/helpers/coverage", params={"division": a.county})
    assert report.status_code == 200, report.text
    body = report.json()
    village = next(v for v in body["villages"] if v["code"] == a.village)
    township = next(t for t in body["townships"] if t["code"] == a.township)
    assert village["households"] == in_care and village["with_helper"] == helped
    assert village["without_helper"] == in_care - helped > 0
    assert township["without_helper"] == village["without_helper"] and village["name"] != a.village
    assert body["total"]["helpers_over_cap"] == 0


def test_coverage_refuses_other_areas_and_bad_codes(api, world):
    assert api("zzb").get("/api/v1/helpers/coverage", params={"division": world.b.county}).status_code == 404
    assert api("zzb").get("/api/v1/helpers/coverage", params={"division": "12"}).status_code == 422
    assert api("zzb").post("/api/v1/helpers/assign", json={"county": world.a.village}).status_code == 422


def test_a_sitting_village_official_helps_households_of_their_village_within_the_cap(api, world, session, settings):
    a = world.a
    _households(session, a, ["11", "12", "13", "11", "21", "22"])
    session.commit()
    assert api("zzb").post("/api/v1/helpers/assign", json={"county": a.county}).status_code == 200
    theirs = session.scalars(
        select(HelperAssignment).where(
            HelperAssignment.official_id == a.official_id, HelperAssignment.end_date.is_(None)
        )
    ).all()
    assert theirs and {h.village_code for h in theirs} == {a.village}
    assert all(h.cadre_id is None and h.account_id is None for h in theirs)
    weights = _weights(session, [h.household_id for h in theirs])
    assert sum(weights.values()) <= rules.DEFAULT_CAP
    # The official's load is counted like a cadre's: over a cap of 1, every helper is over.
    from zhucun.selection.helpers import queries

    over = queries.report(session, a.county, cap=1)["total"]["helpers_over_cap"]
    assert over == len(set(_open(session, a).values())) >= 2
    # The official's term ends: the next assignment moves their households to a helper with room.
    _helper(session, settings, a, 803)
    _end_officials(session, a)
    again = api("zzb").post("/api/v1/helpers/assign", json={"county": a.county}).json()
    assert ("official", a.official_id) not in _open(session, a).values()
    assert again["ended"] >= len(theirs)


def test_a_village_official_is_never_made_the_helper_of_their_own_household(api, world, session):
    a = world.a
    county = a.county[:6]
    home = session.scalar(select(Member.household_id).where(Member.county_code == county, Member.id == a.member_id))
    session.execute(update(Household).where(Household.county_code == county, Household.id == home).values(status="11"))
    # Helped by the official until now (before the pool excluded the pair): it must move.
    session.execute(
        insert(HelperAssignment).values(
            county_code=county,
            id=allocate(session, "helper_assignments", 1),
            household_id=home,
            village_code=a.village,
            official_id=a.official_id,
            start_date=date(2026, 1, 5),
        )
    )
    session.commit()
    response = api("zzb").post("/api/v1/helpers/assign", json={"county": a.county})
    assert response.status_code == 200, response.text
    helped = _open(session, a)
    # It moved to another helper of the village with room (the team's cadre, or a helper account).
    assert helped[home] in {("cadre", a.posted_cadre_id), ("account", _account(session, "bangfu"))}
    # The official still helps other households of the village, just not their own.
    others = _households(session, a, ["11", "11"])
    session.commit()
    api("zzb").post("/api/v1/helpers/assign", json={"county": a.county})
    helped = _open(session, a)
    assert ("official", a.official_id) in {helped[h] for h in others}
    assert helped[home] != ("official", a.official_id)


def _account(session, username: str) -> int:
    from zhucun.core.models import User

    return session.scalar(select(User.id).where(User.username == username))
