"""Targeting quality of the register against a reference-income survey, per village, in one
statement: each surveyed household is matched to the register by its household number, or
else by a member's ID keyed hash (same county); the latest survey of each county counts.

Inclusion error: registered as poor (未脱贫, 返贫) with a reference income per head at or
above the line; its rate is over the registered poor surveyed. Exclusion error: not
registered as poor (an ordinary household, or none matched) with a reference income below
the line; its rate is over the surveyed households below the line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from zhucun.core.scope import Area
from zhucun.divisions.models import Division
from zhucun.identification.exits.rules import POOR, poverty_line
from zhucun.registry.models import Household, Member

from .models import ReferenceIncome


@dataclass
class VillageTargeting:
    code: str
    name: str
    year: int
    surveyed: int
    matched: int
    registered: int
    below_line: int
    inclusion: int
    exclusion: int

    @property
    def inclusion_rate(self) -> float | None:
        return self.inclusion / self.registered if self.registered else None

    @property
    def exclusion_rate(self) -> float | None:
        return self.exclusion / self.below_line if self.below_line else None

    def as_json(self) -> dict[str, Any]:
        rates = {"inclusion_rate": self.inclusion_rate, "exclusion_rate": self.exclusion_rate}
        return {**self.__dict__, **{k: None if v is None else round(v, 6) for k, v in rates.items()}}


def _latest(area: Area) -> Any:
    return (
        select(ReferenceIncome.county_code, func.max(ReferenceIncome.import_id).label("import_id"))
        .where(area.county_within(ReferenceIncome.county_code), area.within(ReferenceIncome.village_code))
        .group_by(ReferenceIncome.county_code)
        .subquery("latest")
    )


def _by_number(area: Area) -> Any:
    return (
        select(Household.county_code, Household.household_no, Household.status)
        .where(area.county_within(Household.county_code), area.within(Household.village_code))
        .subquery("by_number")
    )


def _by_id(area: Area) -> Any:
    """The status of the household of each member on a roll, by the member's ID hash."""
    return (
        select(Member.county_code, Member.id_hash, Household.status)
        .join(Household, and_(Household.county_code == Member.county_code, Household.id == Member.household_id))
        .where(
            Member.status == "1",
            Member.id_hash.is_not(None),
            area.county_within(Member.county_code),
            area.within(Member.village_code),
        )
        .subquery("by_id")
    )


def _statuses(area: Area) -> Any:
    """Each surveyed row of the latest surveys with the status of the household it matches
    (None: unmatched). Subqueries rather than aliases, each scoped on its own table."""
    r, latest, number, person = ReferenceIncome, _latest(area), _by_number(area), _by_id(area)
    status = case((number.c.status.is_not(None), number.c.status), else_=person.c.status)
    return (
        select(r.county_code, r.village_code, r.year, r.income_per_head, status.label("status"))
        .join(latest, and_(latest.c.county_code == r.county_code, latest.c.import_id == r.import_id))
        .outerjoin(number, and_(number.c.county_code == r.county_code, number.c.household_no == r.household_no))
        .outerjoin(person, and_(person.c.county_code == r.county_code, person.c.id_hash == r.id_hash))
        .where(area.county_within(r.county_code), area.within(r.village_code))
        .subquery("surveyed")
    )


def report(session: Session, area: Area) -> list[VillageTargeting]:
    """Every surveyed village of the area with its errors, worst inclusion first. The line is
    the survey year's; a village's rows are of one survey, so of one year."""
    s = _statuses(area)
    years = [int(y) for y in session.scalars(select(s.c.year).distinct())]
    lines = {year: poverty_line(year) for year in years}
    line = case(*((s.c.year == year, value) for year, value in lines.items()), else_=0) if lines else 0
    poor = s.c.status.in_(POOR)
    below = s.c.income_per_head < line
    rows = session.execute(
        select(
            s.c.village_code,
            Division.name,
            func.max(s.c.year),
            func.count(),
            func.count(s.c.status),
            func.sum(case((poor, 1), else_=0)),
            func.sum(case((below, 1), else_=0)),
            func.sum(case((and_(poor, ~below), 1), else_=0)),
            func.sum(case((and_(func.coalesce(s.c.status, "").not_in(POOR), below), 1), else_=0)),
        )
        .join(Division, Division.code == s.c.village_code)
        .group_by(s.c.village_code, Division.name)
    ).all()
    found = [VillageTargeting(r[0], r[1], int(r[2]), *(int(v or 0) for v in r[3:])) for r in rows]
    return sorted(found, key=lambda v: (-(v.inclusion_rate or 0), -(v.exclusion_rate or 0), v.code))


def total(found: list[VillageTargeting]) -> VillageTargeting:
    """The area's sums (a village-like row named by the caller)."""
    sums = [
        sum(getattr(v, k) for v in found)
        for k in ("surveyed", "matched", "registered", "below_line", "inclusion", "exclusion")
    ]
    return VillageTargeting("", "", max((v.year for v in found), default=0), *sums)
