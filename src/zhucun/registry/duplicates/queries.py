"""The duplicate registrations report: ID numbers (by their keyed hash) on the roll more
than once, in one county or in several, found by one GROUP BY over the members and
shown with every registration — those outside the caller's area only as such.

The grouping must see past the caller's area (a person registered here and in another
county is the point of the report), so it runs county-wide and applies the scope itself:
only numbers with a registration in the area are grouped, and registrations outside it
are returned without name or place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, case, distinct, exists, func, select, tuple_
from sqlalchemy.orm import Session, aliased

from ...core.codes import is_code, prefix_of, prefix_upper_bound
from ...core.errors import Invalid
from ...core.i18n import _l
from ...core.pagination import decode_cursor, encode_cursor
from ...core.scope import ACROSS_AREAS, Scope
from ...divisions.models import Division
from ..models import Household, Member
from .models import DuplicateReview

COUNTY_WIDE = ACROSS_AREAS
WITHIN, ACROSS = "within", "across"


@dataclass
class Registration:
    visible: bool
    county_code: str | None = None
    member_id: int | None = None
    name: str | None = None
    id_masked: str | None = None
    relation: str | None = None
    household_id: int | None = None
    household_no: str | None = None
    village_code: str | None = None
    village_name: str | None = None


@dataclass
class Duplicate:
    counties: int
    registrations: list[Registration] = field(default_factory=list)


def on_roll(member: Any = Member) -> Any:
    """Registrations that count: on the roll, with a number, not reviewed as another person."""
    reviewed = exists().where(
        DuplicateReview.county_code == member.county_code,
        DuplicateReview.member_id == member.id,
        DuplicateReview.id_hash == member.id_hash,
    )
    return and_(member.status == "1", member.id_hash.is_not(None), ~reviewed)


def _in_area(scope: Scope, area: str | None, member: Any = Member) -> Any:
    visible = scope.clause(None, column=member.village_code)
    if area and is_code(area):
        prefix = prefix_of(area)
        visible = and_(visible, member.village_code >= prefix, member.village_code < prefix_upper_bound(prefix))
    return visible


def groups(scope: Scope, *, area: str | None = None, kind: str | None = None) -> Select[Any]:
    """One row per duplicated number with a registration in the area: how many
    registrations, in how many counties, and the first village of the area holding one."""
    visible = _in_area(scope, area)
    statement = (
        select(
            Member.id_hash,
            func.count().label("registrations"),
            func.count(distinct(Member.county_code)).label("counties"),
            func.min(case((visible, Member.village_code))).label("first_village"),
        )
        .where(on_roll())
        .group_by(Member.id_hash)
        .having(func.count() > 1)
    )
    if not (scope.is_everywhere and not area):
        # Only numbers seen in the area are grouped: a county's report reads its county.
        seen = aliased(Member)
        statement = statement.where(
            Member.id_hash.in_(select(seen.id_hash).where(on_roll(seen), _in_area(scope, area, seen)))
        )
    if kind == ACROSS:
        statement = statement.having(func.count(distinct(Member.county_code)) > 1)
    elif kind == WITHIN:
        statement = statement.having(func.count(distinct(Member.county_code)) == 1)
    return statement


def summary(session: Session, scope: Scope, *, area: str | None = None) -> tuple[int, int]:
    """How many duplicated numbers, and how many of them span counties."""
    found = groups(scope, area=area).subquery()
    total, across = session.execute(
        select(func.count(), func.coalesce(func.sum(case((found.c.counties > 1, 1), else_=0)), 0))
        .select_from(found)
        .execution_options(**COUNTY_WIDE)
    ).one()
    return total, across


def _registrations(session: Session, scope: Scope, found: Any) -> Iterator[tuple[Any, Registration]]:
    """Every registration of the numbers in ``found``, in the report's order."""
    statement = (
        select(
            found.c.first_village,
            found.c.id_hash,
            found.c.counties,
            Member.county_code,
            Member.id,
            Member.name,
            Member.id_masked,
            Member.relation,
            Member.household_id,
            Member.village_code,
            Household.household_no,
            Division.name.label("village_name"),
        )
        .join(found, found.c.id_hash == Member.id_hash)
        .join(Household, and_(Household.county_code == Member.county_code, Household.id == Member.household_id))
        .outerjoin(Division, Division.code == Member.village_code)
        .where(on_roll())
        .order_by(found.c.first_village, found.c.id_hash, Member.county_code, Member.id)
    )
    for row in session.execute(statement.execution_options(yield_per=2000, **COUNTY_WIDE)):
        if not scope.covers(row.village_code):
            yield row, Registration(visible=False)
            continue
        yield (
            row,
            Registration(
                True,
                row.county_code,
                row.id,
                row.name,
                row.id_masked,
                row.relation,
                row.household_id,
                row.household_no,
                row.village_code,
                row.village_name,
            ),
        )


def _keyset(cursor: str) -> tuple[str, str]:
    values = decode_cursor(cursor, 2)
    if not all(isinstance(v, str) for v in values):
        raise Invalid(_l("The page cursor is invalid."), field="cursor", code="bad_cursor")
    return values[0], values[1]


def page(
    session: Session,
    scope: Scope,
    *,
    area: str | None = None,
    kind: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[Duplicate], str | None]:
    """A keyset page of duplicated numbers with their registrations, in one statement."""
    found = groups(scope, area=area, kind=kind).subquery()
    statement = select(found)
    if cursor:
        statement = statement.where(tuple_(found.c.first_village, found.c.id_hash) > tuple_(*_keyset(cursor)))
    window = statement.order_by(found.c.first_village, found.c.id_hash).limit(limit + 1).subquery()
    pages: dict[tuple[str, str], Duplicate] = {}
    for row, registration in _registrations(session, scope, window):
        key = (row.first_village, row.id_hash)
        pages.setdefault(key, Duplicate(row.counties)).registrations.append(registration)
    keys = list(pages)
    next_cursor = encode_cursor(keys[limit - 1]) if len(keys) > limit else None
    return [pages[k] for k in keys[:limit]], next_cursor


def stream(
    session: Session, scope: Scope, *, area: str | None = None, kind: str | None = None
) -> Iterator[tuple[int, Duplicate, Registration]]:
    """Every registration of the report with its duplicate's number (1, 2, …), for exports."""
    number, last = 0, None
    for row, registration in _registrations(session, scope, groups(scope, area=area, kind=kind).subquery()):
        if row.id_hash != last:
            number, last = number + 1, row.id_hash
        yield number, Duplicate(row.counties), registration
