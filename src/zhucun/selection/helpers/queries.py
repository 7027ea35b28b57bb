"""The coverage report: per village and township of an area, households in care, with a
helper, without one, and helpers over the cap — a few GROUP BYs, scoped by the session."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhucun.core.codes import level_of, prefix_of
from zhucun.divisions.models import Division
from zhucun.registry.catalogues import MONITORED_STATUSES
from zhucun.registry.models import Household

from . import rules
from .models import HelperAssignment

FIELDS = ("households", "with_helper", "without_helper", "helpers_over_cap")


def _weight() -> Any:
    priority = Household.status.in_(MONITORED_STATUSES) | (Household.attribute == rules.EXTREME_POVERTY)
    return case((priority, rules.PRIORITY_WEIGHT), else_=1)


def _in_care(area: str) -> Any:
    clauses = [Household.village_code.startswith(prefix_of(area)), Household.status.in_(rules.IN_CARE_STATUSES)]
    if level_of(area) in ("county", "township", "village"):
        # The county named too, so that Citus sends the query to that county's shard alone.
        clauses.append(Household.county_code == area[:6])
    return clauses


def _open_join() -> Any:
    return (
        (HelperAssignment.county_code == Household.county_code)
        & (HelperAssignment.household_id == Household.id)
        & HelperAssignment.end_date.is_(None)
    )


def _loads(area: str) -> Any:
    """Each helper's load over all their households in the area, counted where the helper's
    households are (the village of the first, for a helper across villages)."""
    return (
        select(
            func.min(Household.village_code).label("village"),
            func.sum(_weight()).label("load"),
        )
        .select_from(HelperAssignment)
        .join(Household, _open_join())
        .where(*_in_care(area))
        # A helper is a cadre, a village official or an account: exactly one of the three is set.
        .group_by(HelperAssignment.cadre_id, HelperAssignment.official_id, HelperAssignment.account_id)
        .subquery()
    )


def over_cap(session: Session, area: str, cap: int = rules.DEFAULT_CAP) -> int:
    """Helpers of the area whose load is over the cap (the home count)."""
    loads = _loads(area)
    return session.scalar(select(func.count()).select_from(loads).where(loads.c.load > cap)) or 0


def by_village(session: Session, area: str, cap: int = rules.DEFAULT_CAP) -> dict[str, dict[str, int]]:
    """Each village of the area with households in care or helpers: the four counts."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    covered = func.count(HelperAssignment.id)
    for village, total, helped in session.execute(
        select(Household.village_code, func.count(), covered)
        .outerjoin(HelperAssignment, _open_join())
        .where(*_in_care(area))
        .group_by(Household.village_code)
    ):
        counts[village].update(households=total, with_helper=helped, without_helper=total - helped)
    loads = _loads(area)
    for village, over in session.execute(
        select(loads.c.village, func.count()).where(loads.c.load > cap).group_by(loads.c.village)
    ):
        counts[village]["helpers_over_cap"] = over
    return dict(sorted(counts.items()))


def report(session: Session, area: str, cap: int = rules.DEFAULT_CAP) -> dict[str, Any]:
    """Villages and their townships (with names), and the area's totals."""
    villages = by_village(session, area, cap)
    townships: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for code, row in villages.items():
        for field in FIELDS:
            townships[code[:9] + "000"][field] += row[field]
    total = {field: sum(row[field] for row in villages.values()) for field in FIELDS}
    codes = [*villages, *townships]
    names = dict(session.execute(select(Division.code, Division.name).where(Division.code.in_(codes))).all())
    return {
        "division": area,
        "total": total,
        # A township outside the reader's area (a village's team reads its village) is not listed:
        # its name is not theirs to read, and its totals are their village's alone.
        "townships": [{"code": c, "name": names[c], **r} for c, r in sorted(townships.items()) if c in names],
        "villages": [{"code": c, "name": names.get(c, c), **r} for c, r in villages.items()],
    }


def default_area(session: Session, principal: Any) -> str | None:
    """Where the reader works (their first granted area), or the first county for whoever
    is granted everywhere."""
    granted: list[str] = [g.division_code for g in principal.grants if g.division_code]
    if granted:
        return granted[0]
    first: str | None = session.scalar(select(Division.code).where(Division.level == "county").order_by(Division.code))
    return first


def helps(session: Session, account_id: int, county_code: str, household_id: int) -> bool:
    """Whether the account is the household's open helper (an assignment to the account)."""
    found = session.scalar(
        select(HelperAssignment.id).where(
            HelperAssignment.county_code == county_code,
            HelperAssignment.household_id == household_id,
            HelperAssignment.account_id == account_id,
            HelperAssignment.end_date.is_(None),
        )
    )
    return found is not None


def without_helper(session: Session, area: str) -> int:
    """Households in care of the area without an open helper assignment (the home count)."""
    return (
        session.scalar(
            select(func.count())
            .select_from(Household)
            .outerjoin(HelperAssignment, _open_join())
            .where(*_in_care(area), HelperAssignment.id.is_(None))
        )
        or 0
    )


def last_assignment(session: Session, county: str) -> dict[str, Any] | None:
    """The county's last assignment as recorded (who, when, and its answer): what the page
    shows after "assign for the county", and on any later visit, without re-running it."""
    from zhucun.core.audit import AuditEntry

    from .service import Tag

    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == Tag.ASSIGNED.value, AuditEntry.division_code == county)
        .order_by(AuditEntry.at.desc(), AuditEntry.seq.desc())
        .limit(1)
    ).first()
    if entry is None:
        return None
    return {"at": entry.at, "by": entry.actor_name, **(entry.after or {})}
