"""Comparing a frozen year with the current register or a later frozen year: households
added and removed, status changes, members added, removed and moved — counted per
village in one GROUP BY, listed by keyset pages, all set-based.

Each side is a subquery of the same shape, whether read from the live tables or from a
snapshot; every change is one row of one UNION ALL. Snapshot tables are not scoped
models, so the caller's area is applied here, to the village each change is counted in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session

from zhucun.registry.models import Household, Member
from zhucun.registry.snapshots.models import HouseholdSnapshot, MemberSnapshot, RegistrySnapshot

from ...core.errors import Invalid, NotFound
from ...core.i18n import _l
from ...core.pagination import keyset
from ...core.scope import ACROSS_AREAS, Scope
from ...divisions.models import Division

COUNTY_WIDE = ACROSS_AREAS
KINDS = (
    "households_added",
    "households_removed",
    "status_changed",
    "members_added",
    "members_removed",
    "members_moved",
)


def _households(county: str, year: int | None) -> Any:
    if year is None:
        return (
            select(Household.id.label("household_id"), Household.household_no, Household.village_code, Household.status)
            .where(Household.county_code == county)
            .subquery()
        )
    s = HouseholdSnapshot
    return (
        select(s.household_id, s.household_no, s.village_code, s.status)
        .where(s.county_code == county, s.year == year)
        .subquery()
    )


def _members(county: str, year: int | None) -> Any:
    # One table a side, so that SQLite flattens the subquery and joins on its key: the
    # right side of an outer join made of a join is scanned whole for every row.
    if year is None:
        return (
            select(Member.id.label("member_id"), Member.name, Member.status, Member.household_id)
            .where(Member.county_code == county)
            .subquery()
        )
    m = MemberSnapshot
    return (
        select(m.member_id, m.name, m.status, m.household_id).where(m.county_code == county, m.year == year).subquery()
    )


def _row(kind: str, side: Any, *, member: Any = None, before: Any = None, after: Any = None) -> list[Any]:
    return [
        literal(kind).label("kind"),
        side.c.village_code,
        side.c.household_id,
        side.c.household_no,
        (member.c.member_id if member is not None else literal(0)).label("member_id"),
        (member.c.name if member is not None else null()).label("name"),
        (before if before is not None else null()).label("before"),
        (after if after is not None else null()).label("after"),
    ]


def _household_changes(old: Any, new: Any) -> list[Select[Any]]:
    gone, fresh = new.c.household_id.is_(None), old.c.household_id.is_(None)
    return [
        select(*_row("households_added", new, after=new.c.status))
        .select_from(new.outerjoin(old, old.c.household_id == new.c.household_id))
        .where(fresh),
        select(*_row("households_removed", old, before=old.c.status))
        .select_from(old.outerjoin(new, old.c.household_id == new.c.household_id))
        .where(gone),
        select(*_row("status_changed", new, before=old.c.status, after=new.c.status))
        .select_from(old.join(new, old.c.household_id == new.c.household_id))
        .where(old.c.status != new.c.status),
    ]


def _member_changes(county: str, year: int, later: int | None) -> list[Select[Any]]:
    old, new = _members(county, year), _members(county, later)
    old_home, new_home = _households(county, year), _households(county, later)
    same = old.c.member_id == new.c.member_id
    old_on, new_on = old.c.status == "1", new.c.status == "1"
    in_new = new.join(new_home, new_home.c.household_id == new.c.household_id)
    in_old = old.join(old_home, old_home.c.household_id == old.c.household_id)
    return [
        select(*_row("members_added", new_home, member=new, before=old.c.status, after=new.c.status))
        .select_from(in_new.outerjoin(old, same))
        .where(new_on, or_(old.c.member_id.is_(None), ~old_on)),
        select(*_row("members_removed", old_home, member=old, before=old.c.status, after=new.c.status))
        .select_from(in_old.outerjoin(new, same))
        .where(old_on, or_(new.c.member_id.is_(None), ~new_on)),
        select(
            *_row("members_moved", new_home, member=new, before=old_home.c.household_no, after=new_home.c.household_no)
        )
        .select_from(in_old.join(in_new, same))
        .where(old_on, new_on, old.c.household_id != new.c.household_id),
    ]


def changes(scope: Scope, county: str, year: int, later: int | None) -> Any:
    """Every change from ``year`` to ``later`` (None: the current register) in the area."""
    parts = [
        *_household_changes(_households(county, year), _households(county, later)),
        *_member_changes(county, year, later),
    ]
    every = union_all(*parts).subquery("changes")
    return select(every).where(scope.clause(None, column=every.c.village_code)).subquery("visible")


@dataclass
class Comparison:
    villages: list[dict[str, Any]]
    totals: dict[str, int]
    transitions: list[tuple[str, str, int]] = field(default_factory=list)


def compare(session: Session, scope: Scope, county: str, year: int, later: int | None) -> Comparison:
    """Counts per village and kind, totals, and household status transitions (before → after)."""
    found = changes(scope, county, year, later)
    counted = session.execute(
        select(found.c.village_code, Division.name, found.c.kind, func.count())
        .outerjoin(Division, Division.code == found.c.village_code)
        .group_by(found.c.village_code, Division.name, found.c.kind)
        .order_by(found.c.village_code)
        .execution_options(**COUNTY_WIDE)
    ).all()
    villages: dict[str, dict[str, Any]] = {}
    totals: dict[str, int] = defaultdict(int)
    for village, name, kind, n in counted:
        villages.setdefault(village, {"village_code": village, "village_name": name, **dict.fromkeys(KINDS, 0)})
        villages[village][kind] = n
        totals[kind] += n
    moves = session.execute(
        select(found.c.before, found.c.after, func.count())
        .where(found.c.kind == "status_changed")
        .group_by(found.c.before, found.c.after)
        .order_by(func.count().desc(), found.c.before, found.c.after)
        .execution_options(**COUNTY_WIDE)
    ).all()
    return Comparison(list(villages.values()), {k: totals[k] for k in KINDS}, [tuple(m) for m in moves])


def _ordered(found: Any) -> list[Any]:
    return [found.c.kind, found.c.village_code, found.c.household_id, found.c.member_id]


def page(
    session: Session,
    scope: Scope,
    county: str,
    year: int,
    later: int | None,
    kind: str | None,
    *,
    cursor: str | None,
    limit: int,
) -> tuple[list[Any], str | None]:
    """A keyset page of changes (of one kind, or all), by kind, village, household and member."""
    found = changes(scope, county, year, later)
    statement = select(found).execution_options(**COUNTY_WIDE)
    if kind:
        statement = statement.where(found.c.kind == kind)
    return keyset(
        session,
        statement,
        _ordered(found),
        cursor=cursor,
        limit=limit,
        scalars=False,
        key=lambda row: [row.kind, row.village_code, row.household_id, row.member_id],
    )


def stream(session: Session, scope: Scope, county: str, year: int, later: int | None) -> Iterator[Any]:
    """Every change, for exports, in the order of the pages."""
    found = changes(scope, county, year, later)
    statement = select(found).order_by(*_ordered(found))
    yield from session.execute(statement.execution_options(yield_per=2000, **COUNTY_WIDE))


def snapshots(session: Session, scope: Scope) -> list[Any]:
    """The frozen years of the counties the area reaches into, with the county's name."""
    return list(
        session.execute(
            select(RegistrySnapshot, Division.name)
            .join(Division, Division.code == RegistrySnapshot.county_code + "000000")
            .where(scope.clause(RegistrySnapshot))
            .order_by(RegistrySnapshot.county_code, RegistrySnapshot.year.desc())
            .execution_options(**COUNTY_WIDE)
        ).all()
    )


def access_snapshot(session: Session, scope: Scope, county: str, year: int) -> RegistrySnapshot:
    """A frozen year the area reaches into; missing and out of reach both answer 404."""
    snapshot = session.scalars(
        select(RegistrySnapshot).where(
            RegistrySnapshot.county_code == county,
            RegistrySnapshot.year == year,
            scope.clause(RegistrySnapshot),
        )
    ).one_or_none()
    if snapshot is None:
        raise NotFound()
    return snapshot


def later_year(session: Session, scope: Scope, county: str, year: int, against: str) -> int | None:
    """What a comparison of a frozen year is against: None for the current register, or a
    later frozen year. The year itself must be frozen and in reach (404 otherwise)."""
    access_snapshot(session, scope, county, year)
    if against == "current":
        return None
    later = int(against)
    if later <= year:
        raise Invalid(_l("Compare with a later year or with the current register."), field="with", code="not_later")
    try:
        access_snapshot(session, scope, county, later)
    except NotFound:
        raise Invalid(
            _l("The register of {year} has not been frozen."), field="with", code="not_frozen", year=later
        ) from None
    return later
