"""Freezing a county's register for a year (年度动态调整): one INSERT … SELECT per table,
once per year; replacing a frozen year is an administrator's act with a reason."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhucun.core.tx import use_case
from zhucun.registry.models import Household, Member
from zhucun.registry.snapshots.models import HouseholdSnapshot, MemberSnapshot, RegistrySnapshot

from ...core import audit, present
from ...core.auth import Principal
from ...core.bulk import analyze
from ...core.db import utcnow
from ...core.errors import Conflict, Forbidden, Invalid, NotFound
from ...core.i18n import _l
from ...core.permissions import Role
from ...core.present import Action
from ...core.scope import get as scoped_get
from ...core.scope import scope_of
from ...divisions.lookup import any_division

SNAPSHOT_TABLES = (MemberSnapshot, HouseholdSnapshot, RegistrySnapshot)


class Tag(StrEnum):
    FROZEN = "registry:snapshot:frozen"
    REPLACED = "registry:snapshot:replaced"


LABELS = present.actions(
    {
        Tag.FROZEN: Action(
            _l("Register frozen"),
            _l("froze the register for {object}: {households} households, {members} members"),
            clauses=False,
        ),
        Tag.REPLACED: Action(_l("Frozen register replaced"), _l("froze the register for {object} again")),
    }
)


def county_division(county: str) -> str:
    return county + "000000"


def require_county(session: Session, county: str) -> None:
    """The whole county must lie in the caller's area (a snapshot is of a whole county)."""
    scope = scope_of(session)
    division = any_division(session, county_division(county))
    exists = division is not None and division.level == "county"
    if not exists or (scope is not None and not scope.covers(county_division(county))):
        raise NotFound()


def _copy(session: Session, county: str, year: int) -> tuple[int, int]:
    """Copy the county's households and members into the year's snapshot; their counts."""
    session.execute(
        insert(HouseholdSnapshot).from_select(
            [
                "county_code",
                "year",
                "household_id",
                "household_no",
                "village_code",
                "attribute",
                "status",
                "member_count",
                "main_cause",
            ],
            select(
                Household.county_code,
                literal(year),
                Household.id,
                Household.household_no,
                Household.village_code,
                Household.attribute,
                Household.status,
                Household.member_count,
                Household.main_cause,
            ).where(Household.county_code == county),
        )
    )
    session.execute(
        insert(MemberSnapshot).from_select(
            ["county_code", "year", "member_id", "household_id", "id_hash", "name", "relation", "status"],
            select(
                Member.county_code,
                literal(year),
                Member.id,
                Member.household_id,
                Member.id_hash,
                Member.name,
                Member.relation,
                Member.status,
            ).where(Member.county_code == county),
        )
    )
    households = (
        select(func.count())
        .select_from(HouseholdSnapshot)
        .where(HouseholdSnapshot.county_code == county, HouseholdSnapshot.year == year)
        .scalar_subquery()
    )
    members = (
        select(func.count())
        .select_from(MemberSnapshot)
        .where(MemberSnapshot.county_code == county, MemberSnapshot.year == year, MemberSnapshot.status == "1")
        .scalar_subquery()
    )
    counted = session.execute(select(households, members)).one()
    return counted[0], counted[1]


def _discard(session: Session, county: str, year: int) -> None:
    for table in SNAPSHOT_TABLES:
        session.execute(delete(table).where(table.county_code == county, table.year == year))


@use_case
def freeze(
    session: Session, *, actor: Principal, county: str, year: int, reason: str | None = None, replace: bool = False
) -> RegistrySnapshot:
    """Freeze the county's register as it stands now as the snapshot of ``year``."""
    require_county(session, county)
    if year > utcnow().year:
        raise Invalid(_l("A year that has not begun cannot be frozen."), field="year", code="future_year")
    old = scoped_get(session, RegistrySnapshot, (county, year))
    before = {"households": old.households, "members": old.members, "frozen_at": old.frozen_at} if old else None
    if old and not replace:
        raise Conflict(_l("The register of {year} is already frozen."), field="year", code="snapshot_exists", year=year)
    if old:
        _replaceable(actor, reason)
        session.expunge(old)
        _discard(session, county, year)
    snapshot = RegistrySnapshot(
        county_code=county, year=year, frozen_at=utcnow(), actor_name=actor.username, households=0, members=0
    )
    try:
        session.add(snapshot)
        session.flush()
    except IntegrityError:
        raise Conflict(
            _l("The register of {year} is already frozen."), field="year", code="snapshot_exists", year=year
        ) from None
    snapshot.households, snapshot.members = _copy(session, county, year)
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.REPLACED if old else Tag.FROZEN,
        entity="snapshot",
        entity_id=f"{county}-{year}",
        division=county_division(county),
        before=before,
        after={"households": snapshot.households, "members": snapshot.members},
        reason=reason,
    )
    # Without statistics the planner takes the new rows for a handful, and comparing the year
    # right after the first freeze ran for minutes.
    analyze(session, [HouseholdSnapshot, MemberSnapshot])
    return snapshot


def _replaceable(actor: Principal, reason: str | None) -> None:
    if Role.ADMIN not in actor.roles:
        raise Forbidden(_l("Only an administrator may replace a frozen year."), code="replace_forbidden")
    if not reason or len(reason.strip()) < 2:
        raise Invalid(_l("Say why the frozen year is replaced."), field="reason", code="reason_required")
