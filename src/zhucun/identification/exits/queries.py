"""The exit figures of an area from the register, set-based: one GROUP BY per village for
poverty incidence, one aggregate for the wrongly exited and missed households (income per
head compared with the line in SQL), one for the democratic reviews' votes on exit cases."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from zhucun.core.scope import Area
from zhucun.divisions.models import Division
from zhucun.identification.quality.register import latest_income_year
from zhucun.procedures.models import Case
from zhucun.registry.models import Household, HouseholdIncome

from . import rules


@dataclass
class VillageExit:
    code: str
    name: str
    households: int
    people: int
    poor_people: int
    incidence: float
    threshold: float
    meets: bool

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "incidence": round(self.incidence, 6)}


@dataclass
class Indicators:
    year: int | None
    line: float | None
    people: int
    poor_people: int
    incidence: float
    threshold: float
    exited: int
    wrongly_exited: int
    wrong_rate: float | None
    not_registered: int
    missed: int
    missed_rate: float | None
    reviews: int
    votes_for: int
    votes_cast: int
    approval: float | None
    meets: bool

    def as_json(self) -> dict[str, Any]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _in(column: Any, codes: tuple[str, ...], value: Any) -> Any:
    return func.sum(case((column.in_(codes), value), else_=0))


def villages(session: Session, area: Area, config: dict[str, Any] | None = None) -> list[VillageExit]:
    """Every village of the area with its people, poor people and poverty incidence against
    its threshold (western villages' and provinces' own), worst first."""
    size = func.coalesce(Household.member_count, 0)
    rows = session.execute(
        select(
            Household.village_code,
            Division.name,
            Division.is_western,
            func.count(),
            func.sum(size),
            _in(Household.status, rules.POOR, size),
        )
        .join(Division, Division.code == Household.village_code)
        .where(area.within(Household.village_code), area.county_within(Household.county_code))
        .group_by(Household.village_code, Division.name, Division.is_western)
    ).all()
    if not rows:
        return []
    codes, names, western, households, people, poor = zip(*rows, strict=True)
    thresholds = np.array(
        [rules.incidence_threshold(c[:2], bool(w), config) for c, w in zip(codes, western, strict=True)]
    )
    incidence, meets = rules.village_exit(np.array(poor, dtype=float), np.array(people, dtype=float), thresholds)
    found = [
        VillageExit(
            codes[i],
            names[i],
            int(households[i]),
            int(people[i] or 0),
            int(poor[i] or 0),
            float(incidence[i]),
            float(thresholds[i]),
            bool(meets[i]),
        )
        for i in range(len(codes))
    ]
    return sorted(found, key=lambda v: (-v.incidence, v.code))


def _errors(session: Session, area: Area, year: int, line: float) -> tuple[int, int, int, int]:
    """(exited, wrongly exited, not registered, missed): income per head below the line is
    net income < line × members (a household of no members counts as one)."""
    # An alias: the income rows' scope clause reads Household, which must not correlate away.
    h, i = aliased(Household), HouseholdIncome
    net = i.wage + i.production + i.property + i.transfer - i.production_costs
    heads = case((func.coalesce(h.member_count, 0) < 1, 1), else_=h.member_count)
    below = and_(i.household_id.is_not(None), net < line * heads)
    row = session.execute(
        select(
            _in(h.status, rules.EXITED, 1),
            func.sum(case((and_(h.status.in_(rules.EXITED), below), 1), else_=0)),
            _in(h.status, rules.NOT_REGISTERED, 1),
            func.sum(case((and_(h.status.in_(rules.NOT_REGISTERED), below), 1), else_=0)),
        )
        .outerjoin(i, and_(i.county_code == h.county_code, i.household_id == h.id, i.year == year))
        .where(area.within(h.village_code), area.county_within(h.county_code))
    ).one()
    return tuple(int(v or 0) for v in row)  # type: ignore[return-value]


def _votes(session: Session, area: Area) -> tuple[int, int, int]:
    """(reviews, votes for, votes cast) of the democratic reviews recorded on exit cases."""

    def vote(key: str) -> Any:
        return func.coalesce(Case.facts[("review", key)].as_integer(), 0)

    reviewed = Case.facts[("review", "attendees")].as_integer().is_not(None)
    row = session.execute(
        select(
            func.count(),
            func.sum(vote("votes_for")),
            func.sum(vote("votes_for") + vote("votes_against") + vote("abstaining")),
        ).where(Case.kind == "exit", reviewed, area.within(Case.village_code), area.county_within(Case.county_code))
    ).one()
    return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)


def indicators(
    session: Session,
    area: Area,
    found: list[VillageExit],
    province: str,
    western: bool,
    year: int | None = None,
    config: dict[str, Any] | None = None,
) -> Indicators:
    """The county's exit indicators over the area, computed from the register and the cases."""
    year = year or latest_income_year(session, area)
    line = rules.poverty_line(year) if year else None
    exited = wrong = outside = missed = 0
    if year is not None and line is not None:
        exited, wrong, outside, missed = _errors(session, area, year, line)
    people = sum(v.people for v in found)
    poor = sum(v.poor_people for v in found)
    incidence = poor / people if people else 0.0
    threshold = rules.incidence_threshold(province, western, config)
    reviews, votes_for, cast = _votes(session, area)
    wrong_rate, missed_rate, approval = (
        rules.rate(wrong, exited),
        rules.rate(missed, outside),
        rules.rate(votes_for, cast),
    )
    return Indicators(
        year,
        line,
        people,
        poor,
        incidence,
        threshold,
        exited,
        wrong,
        wrong_rate,
        outside,
        missed,
        missed_rate,
        reviews,
        votes_for,
        cast,
        approval,
        bool(people) and rules.county_meets(incidence, wrong_rate, missed_rate, approval, threshold, config),
    )
