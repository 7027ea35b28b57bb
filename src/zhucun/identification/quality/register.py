"""The register's achievements per household, read in one statement over an area.

One row per household: its village, and one achievement per indicator the default
measure uses (higher is better; a household is deprived when strictly below the cut-off).
Members are folded per household by one GROUP BY on (county_code, household_id); the
year's income joins on the same key. Unknown facts (no adult with a known education, a
household without the year's income, housing or water not recorded) are NaN, which is
never below a cut-off: a missing fact does not make a household deprived."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session, aliased

from zhucun.core.scope import Area
from zhucun.registry.models import Household, HouseholdIncome, Member

# Years of schooling completed by education code (registry catalogue ``education``); a
# pre-school child (8) has none to count.
SCHOOL_YEARS = {"1": 0, "2": 6, "3": 9, "4": 12, "5": 12, "6": 15, "7": 16}
# Compulsory schooling ages (inclusive) at the end of the year looked at.
SCHOOL_AGES = (6, 15)
INDICATORS = ("schooling", "attendance", "health", "insurance", "housing", "water", "income")


@dataclass
class Achievements:
    villages: np.ndarray  # village code per household
    households: np.ndarray  # household id
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.households)


def latest_income_year(session: Session, area: Area) -> int | None:
    return session.scalar(select(func.max(HouseholdIncome.year)).where(area.county_within(HouseholdIncome.county_code)))


def _members(area: Area, year: int):  # type: ignore[no-untyped-def]
    end = date(year, 12, 31)
    oldest = date(end.year - SCHOOL_AGES[1] - 1, end.month, end.day)
    youngest = date(end.year - SCHOOL_AGES[0], end.month, end.day)
    years = case(*((Member.education == code, n) for code, n in SCHOOL_YEARS.items()), else_=None)
    child = and_(Member.birth_date > oldest, Member.birth_date <= youngest)
    out_of_school = case((and_(child, func.coalesce(Member.student, "0") == "0"), 1), else_=0)
    return (
        select(
            Member.county_code,
            Member.household_id,
            func.max(years).label("schooling"),
            func.sum(out_of_school).label("out_of_school"),
            func.sum(case((Member.health == "3", 1), else_=0)).label("ill"),
            func.sum(case((Member.medical_insurance.is_(True), 0), else_=1)).label("uninsured"),
        )
        .where(Member.status == "1", area.within(Member.village_code), area.county_within(Member.county_code))
        .group_by(Member.county_code, Member.household_id)
        .subquery("folded")
    )


def read(session: Session, area: Area, year: int) -> Achievements:
    """Every household of the area with its achievements in ``year`` (one query)."""
    folded = _members(area, year)
    # An alias: the income rows' scope clause reads Household, which must not correlate away.
    h = aliased(Household)
    income = HouseholdIncome
    net = income.wage + income.production + income.property + income.transfer - income.production_costs
    query = (
        select(
            h.village_code,
            h.id,
            folded.c.schooling,
            func.coalesce(folded.c.out_of_school, 0),
            func.coalesce(folded.c.ill, 0),
            func.coalesce(folded.c.uninsured, 0),
            h.housing_safe,
            h.water_safe,
            net,
            h.member_count,
        )
        .outerjoin(folded, and_(folded.c.county_code == h.county_code, folded.c.household_id == h.id))
        .outerjoin(
            income,
            and_(income.county_code == h.county_code, income.household_id == h.id, income.year == year),
        )
        .where(area.within(h.village_code), area.county_within(h.county_code))
    )
    rows = session.execute(query).all()
    return _columns(rows)


def _flag(values: np.ndarray) -> np.ndarray:
    """1 for true, 0 for false, NaN for unknown (None)."""
    out = np.full(len(values), np.nan)
    known = values != None  # noqa: E711  (an object array: None is unknown)
    out[known] = values[known].astype(bool).astype(float)
    return out


def _columns(rows: Sequence[Any]) -> Achievements:
    if not rows:
        empty = np.zeros(0)
        return Achievements(np.zeros(0, dtype=object), np.zeros(0, dtype=np.int64), dict.fromkeys(INDICATORS, empty))
    villages, ids, schooling, out, ill, uninsured, housing, water, net, size = zip(*rows, strict=True)
    net_values = np.array([np.nan if v is None else float(v) for v in net])
    heads = np.maximum(np.array(size, dtype=float), 1)
    columns = {
        "schooling": np.array([np.nan if v is None else float(v) for v in schooling]),
        "attendance": (np.array(out, dtype=np.int64) == 0).astype(float),
        "health": (np.array(ill, dtype=np.int64) == 0).astype(float),
        "insurance": (np.array(uninsured, dtype=np.int64) == 0).astype(float),
        "housing": _flag(np.array(housing, dtype=object)),
        "water": _flag(np.array(water, dtype=object)),
        "income": net_values / heads,
    }
    return Achievements(np.array(villages, dtype=object), np.array(ids, dtype=np.int64), columns)
