"""Forms that name a second row by id alone (the household a member moves to, the relative a
kin declaration names) look it up in the county of the page's own row, so that on Citus the
lookup reads that county's shard only; a number of another county is refused as such."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from tests.core.test_county_routing import _capture
from tests.factories.auth import bearer_headers
from zhucun.core.scope import without_county_routing
from zhucun.registry.kinship.models import KinRelation
from zhucun.registry.models import Member


def _lookups_by_id_alone(sent: list[str], table: str) -> list[str]:
    """Reads of ``table`` by its id that do not name the county (the scope's predicate is off)."""
    by_id = re.compile(rf"\b{table}\.id\s*=")
    found = []
    for statement in (" ".join(s.split()) for s in sent):
        if f"FROM {table}" not in statement or " WHERE " not in statement:
            continue
        where = statement.split(" WHERE ", 1)[1]  # the selected columns name county_code too
        if by_id.search(where) and f"{table}.county_code" not in where:
            found.append(statement)
    return found


def test_the_household_to_move_to_is_looked_up_in_the_members_county(client, db, engine, settings, world, session):
    headers = bearer_headers(db, settings, "admin_a")
    url = f"/api/v1/members/{world.a.county_code}/{world.a.member_id}/move"
    body = {"household_id": world.a.household2_id, "relation": "子", "reason": "分户"}
    with without_county_routing():
        sent = _capture(engine, client, lambda: client.post(url, json=body, headers=headers))
    assert [s for s in sent if "FROM households" in s], "the move read no household"
    assert _lookups_by_id_alone(sent, "households") == []
    moved = session.scalars(select(Member.household_id).where(Member.id == world.a.member_id)).one()
    assert moved == world.a.household2_id


def test_a_household_of_another_county_is_refused_where_it_was_typed(api, world, session):
    url = f"/api/v1/members/{world.a.county_code}/{world.a.member_id}/move"
    admin = api("admin")
    across = admin.post(url, json={"household_id": world.b.household_id, "relation": "子", "reason": "分户"})
    assert across.status_code == 422
    assert across.json()["code"] == "other_county" and across.json()["field"] == "household_id"
    nowhere = admin.post(url, json={"household_id": 999999999, "relation": "子", "reason": "分户"})
    assert nowhere.status_code == 404
    # A county's account cannot learn that another county's household exists.
    assert (
        api("admin_a")
        .post(url, json={"household_id": world.b.household_id, "relation": "子", "reason": "分户"})
        .status_code
        == 404
    )
    member = session.scalars(select(Member).where(Member.id == world.a.member_id)).one()
    assert member.household_id == world.a.household_id


def _kin(world, **extra):
    return {
        "member_a": world.a.member_id,
        "member_b": world.a.kin_b,
        "kind": "其他亲属",
        "reason": "村民代表证实",
        **extra,
    }


def test_kin_declared_with_its_county_is_looked_up_there(client, db, engine, settings, world, session):
    headers = bearer_headers(db, settings, "admin_a")
    body = _kin(world, county_code=world.a.county_code)
    with without_county_routing():
        sent = _capture(engine, client, lambda: client.post("/api/v1/kin", json=body, headers=headers))
    assert [s for s in sent if "FROM members" in s], "the declaration read no member"
    assert _lookups_by_id_alone(sent, "members") == []
    count = select(func.count()).select_from(KinRelation).where(KinRelation.member_a == world.a.member_id)
    assert session.scalar(count.where(KinRelation.member_b == world.a.kin_b)) == 1


def test_kin_named_in_another_county_than_said_is_not_found(api, world, session):
    admin = api("admin")
    before = session.scalar(select(func.count()).select_from(KinRelation))
    wrong = admin.post("/api/v1/kin", json=_kin(world, county_code=world.b.county_code))
    assert wrong.status_code == 404
    malformed = admin.post("/api/v1/kin", json=_kin(world, county_code="52270x"))
    assert malformed.status_code == 422 and malformed.json()["field"] == "county_code"
    assert session.scalar(select(func.count()).select_from(KinRelation)) == before
