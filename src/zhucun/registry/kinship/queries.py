"""Kinship reads: relatives of many people at once, up to a degree, walked breadth-first
with one query per degree whatever the number of people — declared relations and the
household rolls of everyone on the frontier are fetched together, and the household
rules (``rules.py``) turn the rolls into relations in memory.

The walk sees the whole county, whatever the caller's area, because kinship does not
stop at a village boundary; callers decide what of the result a user may see.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, any_, bindparam, func, literal, or_, select, union_all
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from zhucun.registry.kinship.models import KinRelation
from zhucun.registry.models import Household, Member

from ...core.scope import ACROSS_AREAS
from .rules import Edge, Kin, adjacency, advance, household_edges

COUNTY_WIDE = ACROSS_AREAS


def among(session: Session, column: Any, ids: Collection[int]) -> ColumnElement[bool]:
    """``column`` is one of ``ids``, bound as one parameter (an array on PostgreSQL, a JSON
    list on SQLite), so that a frontier of any size is one statement within driver limits."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, list(ids), type_=ARRAY(BigInteger)))
    values = func.json_each(bindparam(None, json.dumps(sorted(ids)))).table_valued("value")
    return column.in_(select(values.c.value))


def _neighbourhood(session: Session, counties: list[str], ids: set[int]) -> list[Edge]:
    """The relations of everyone in ``ids``: declared ones, and those their households imply.
    Each branch is a plain key lookup (no DISTINCT, no OR) so that SQLite too searches the
    (county, id), (county, household) and (county, member) indexes instead of a county."""
    homes = select(Member.household_id).where(Member.county_code.in_(counties), among(session, Member.id, ids))
    mates = select(literal("m"), Member.county_code, Member.household_id, Member.id, Member.relation).where(
        Member.county_code.in_(counties), Member.household_id.in_(homes)
    )
    declared = [
        select(
            literal("k"), KinRelation.county_code, KinRelation.member_a, KinRelation.member_b, KinRelation.kind
        ).where(KinRelation.county_code.in_(counties), among(session, side, ids))
        for side in (KinRelation.member_a, KinRelation.member_b)
    ]
    rows = session.execute(union_all(mates, *declared).execution_options(**COUNTY_WIDE)).all()
    households: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
    edges = []
    for source, county, first, second, code in rows:
        if source == "k":
            edges.append(Edge(first, second, code))
        else:
            households[(county, first)].append((second, code))
    for roll in households.values():
        edges += household_edges(roll)
    return [e for e in edges if e.x in ids or e.y in ids]


def _counties(session: Session, anchors: set[int], county: str | None) -> list[str]:
    if county:
        return [county]
    if not anchors:
        return []
    statement = select(Member.county_code).where(among(session, Member.id, anchors)).distinct()
    return list(session.scalars(statement.execution_options(**COUNTY_WIDE)))


def relatives_of(
    session: Session, member_ids: Iterable[int], degree: int, *, county: str | None = None
) -> dict[int, dict[int, Kin]]:
    """{anchor: {relative: (degree, path)}} for every anchor, up to ``degree`` steps.
    Kinship stays within a county; naming it (``county``) saves a query and lets every
    query use the (county, id) key."""
    anchors = set(member_ids)
    return _walk(session, anchors, degree, _counties(session, anchors, county))


def _walk(session: Session, anchors: set[int], degree: int, counties: list[str]) -> dict[int, dict[int, Kin]]:
    reached: dict[int, dict[int, Kin]] = {a: {} for a in anchors}
    frontier: dict[int, set[int]] = {a: {a} for a in anchors}
    for _ in range(degree):
        everyone = set().union(*frontier.values())
        if not everyone:
            break
        frontier = advance(reached, frontier, adjacency(_neighbourhood(session, counties, everyone)))
    return reached


def relative_households_of(
    session: Session, member_ids: Iterable[int], degree: int, *, county: str | None = None
) -> dict[int, dict[int, Kin]]:
    """{anchor: {household: the closest relative's (degree, path)}}: the households where
    each anchor's relatives are on the roll, the anchor's own household at degree 0."""
    anchors = set(member_ids)
    counties = _counties(session, anchors, county)
    found = _walk(session, anchors, degree, counties)
    everyone = anchors.union(*(kin.keys() for kin in found.values()))
    homes = dict(
        session.execute(
            select(Member.id, Member.household_id)
            .where(Member.county_code.in_(counties), among(session, Member.id, everyone), Member.status == "1")
            .execution_options(**COUNTY_WIDE)
        ).all()
    )
    result: dict[int, dict[int, Kin]] = {}
    for anchor in anchors:
        closest: dict[int, Kin] = {homes[anchor]: Kin(0, ())} if anchor in homes else {}
        for member, kin in sorted(found[anchor].items(), key=lambda item: item[1].degree):
            if member in homes:
                closest.setdefault(homes[member], kin)
        result[anchor] = closest
    return result


def people(session: Session, member_ids: Collection[int], county: str) -> dict[int, Any]:
    """Name, household and village of relatives, as far as the session's scope shows them."""
    if not member_ids:
        return {}
    rows = session.execute(
        select(
            Member.id,
            Member.name,
            Member.gender,
            Member.status,
            Member.village_code,
            Member.household_id,
            Household.household_no,
        )
        .join(Household, and_(Household.county_code == Member.county_code, Household.id == Member.household_id))
        .where(Member.county_code == county, among(session, Member.id, member_ids))
    ).all()
    return {row.id: row for row in rows}


def declared_of(session: Session, member: Member) -> list[KinRelation]:
    """The relations declared for a member, whichever way round they were declared."""
    return list(
        session.scalars(
            select(KinRelation)
            .where(
                KinRelation.county_code == member.county_code,
                or_(KinRelation.member_a == member.id, KinRelation.member_b == member.id),
            )
            .order_by(KinRelation.created_at)
        )
    )
