"""The register's achievements per household over an area, read column-wise.

One row per household: its village, and one achievement per indicator the default
measure uses (higher is better; a household is deprived when strictly below the cut-off).
Unknown facts (no adult with a known education, a household without the year's income,
housing or water not recorded) are NaN, which is never below a cut-off: a missing fact
does not make a household deprived.

Reading is the cost over a million households, so it is shaped for the drivers: one plain
scan of the households (with the year's income joined by key) and one of the members,
each row a few integers — the members' facts packed into one small integer in SQL, the
(county, household) key packed into one 64-bit integer — and the folding of members into
their households is done in numpy over the household order. A GROUP BY over the members
in SQL (the former reading) cost SQLite a temporary B-tree and 12 s of the 12.6 s."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Float, and_, case, cast, func, literal, select
from sqlalchemy.orm import Session

from zhucun.core.scope import Area, scope_of
from zhucun.registry.models import Household, HouseholdIncome, Member

# Years of schooling completed by education code (registry catalogue ``education``); a
# pre-school child (8) has none to count.
SCHOOL_YEARS = {"1": 0, "2": 6, "3": 9, "4": 12, "5": 12, "6": 15, "7": 16}
# Compulsory schooling ages (inclusive) at the end of the year looked at.
SCHOOL_AGES = (6, 15)
INDICATORS = ("schooling", "attendance", "health", "insurance", "housing", "water", "income")
# A household's key (county, id) as one integer: county * 2**40 + id. County keys are six
# digits (< 2**20) and ids come from one sequence per table (far below 2**40 ≈ 10**12), so
# the key fits a signed 64-bit integer on both backends and keeps the (county, id) order.
KEY_SHIFT = 40
# A member's facts as one integer below 256 (which Python shares rather than allocates):
# (years of schooling + 1, 0 when unknown) * 8 + child out of school * 4 + ill * 2 + uninsured.
OUT_OF_SCHOOL, ILL, UNINSURED = 4, 2, 1
YEARS_FACTOR = 8


@dataclass
class Achievements:
    villages: np.ndarray  # village code per household, as an integer (12 digits)
    households: np.ndarray  # household id
    columns: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.households)


def empty(indicators: Iterable[str] = INDICATORS) -> Achievements:
    return Achievements(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), {c: np.zeros(0) for c in indicators})


def latest_income_year(session: Session, area: Area) -> int | None:
    return session.scalar(select(func.max(HouseholdIncome.year)).where(area.county_within(HouseholdIncome.county_code)))


def _key(county: Any, row_id: Any) -> Any:
    return cast(county, BigInteger) * literal(1 << KEY_SHIFT, BigInteger) + row_id


def _known(flag: Any) -> Any:
    """A yes/no column as 1, 0, or -1 when unknown."""
    return case((flag.is_(None), -1), (flag, 1), else_=0)


def _households(area: Area, year: int) -> Any:
    """(key, village, housing and water, net income, size) per household of the area."""
    h = Household
    income = HouseholdIncome
    net = income.wage + income.production + income.property + income.transfer - income.production_costs
    return (
        select(
            _key(h.county_code, h.id),
            cast(h.village_code, BigInteger),
            # Housing and water as one small integer: (housing + 1) * 3 + water + 1, each
            # -1 unknown, 0 no, 1 yes.
            (_known(h.housing_safe) + 1) * 3 + _known(h.water_safe) + 1,
            # Exact on PostgreSQL (numeric) and rounded once to a double, as float() would.
            cast(net, Float),
            func.coalesce(h.member_count, 0),
        )
        .outerjoin(
            income,
            and_(income.county_code == h.county_code, income.household_id == h.id, income.year == year),
        )
        .where(area.within(h.village_code), area.county_within(h.county_code))
    )


def _members(area: Area, year: int) -> Any:
    """(household key, packed facts) per member on a roll in the area."""
    end = date(year, 12, 31)
    oldest = date(end.year - SCHOOL_AGES[1] - 1, end.month, end.day)
    youngest = date(end.year - SCHOOL_AGES[0], end.month, end.day)
    years = case({code: n + 1 for code, n in SCHOOL_YEARS.items()}, value=Member.education, else_=0)
    child = and_(Member.birth_date > oldest, Member.birth_date <= youngest)
    out_of_school = case((and_(child, func.coalesce(Member.student, "0") == "0"), OUT_OF_SCHOOL), else_=0)
    ill = case((Member.health == "3", ILL), else_=0)
    uninsured = case((Member.medical_insurance.is_(True), 0), else_=UNINSURED)
    return select(
        _key(Member.county_code, Member.household_id), years * YEARS_FACTOR + out_of_school + ill + uninsured
    ).where(Member.status == "1", area.within(Member.village_code), area.county_within(Member.county_code))


def _plain_rows(session: Session, statement: Any) -> list[Any]:
    """The rows of a statement as the driver's own tuples. Over millions of rows,
    SQLAlchemy's result rows and type processors cost more than the scan itself (on SQLite
    7.4 s of CPU through the driver's cursor against 12.8 s through a result, for a million
    households). The statement is compiled with its values inline: they are a year, dates
    and division codes of this module (digits), never text from a request."""
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _integers(rows: list[Any], width: int) -> np.ndarray:
    """Rows of integers as an n × width array, without a Python list per column."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=len(rows) * width)
    return flat.reshape(len(rows), width)


def read(session: Session, area: Area, year: int) -> Achievements:
    """Every household of the area with its achievements in ``year`` (two scans).

    The rows are plain (no ORM entities), so the scope is not added by the session: the
    area, in every WHERE clause, must lie in the reader's scope — 404 otherwise, as for a
    row outside it."""
    scope = scope_of(session)
    if scope is not None and not scope.is_everywhere:
        scope.require(area.prefix or None)
    households = _plain_rows(session, _households(area, year))
    if not households:
        return empty()
    key, village, living, net, size = zip(*households, strict=True)
    del households
    keys = np.array(key, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    members = _integers(_plain_rows(session, _members(area, year)), 2)
    folded = _fold(keys, members[:, 0], members[:, 1])
    housing, water = np.divmod(np.array(living, dtype=np.int64)[order], 3)
    columns = {
        **folded,
        "housing": _flag(housing - 1),
        "water": _flag(water - 1),
        "income": np.array(net, dtype=float)[order] / np.maximum(np.array(size, dtype=float)[order], 1),
    }
    villages = np.array(village, dtype=np.int64)[order]
    return Achievements(villages, keys & ((1 << KEY_SHIFT) - 1), {c: columns[c] for c in INDICATORS})


def _flag(known: np.ndarray) -> np.ndarray:
    """1, 0, or NaN for unknown (-1)."""
    out: np.ndarray = np.where(known < 0, np.nan, known.astype(float))
    return out


def _fold(keys: np.ndarray, member_keys: np.ndarray, facts: np.ndarray) -> dict[str, np.ndarray]:
    """The members' facts folded per household (``keys`` sorted): the most years of
    schooling, and whether any child is out of school, anyone ill or anyone uninsured."""
    n = len(keys)
    at = np.searchsorted(keys, member_keys)
    # A member whose household lies outside the households read (another area) is left out.
    found = at < n
    found[found] = keys[at[found]] == member_keys[found]
    at, facts = at[found], facts[found]
    years = np.zeros(n, dtype=np.int64)
    np.maximum.at(years, at, facts // YEARS_FACTOR)

    def none_of(bit: int) -> np.ndarray:
        counts: np.ndarray = np.bincount(at, weights=(facts & bit) > 0, minlength=n)
        return np.asarray(counts == 0, dtype=float)

    return {
        "schooling": np.where(years > 0, years - 1, np.nan).astype(float),
        "attendance": none_of(OUT_OF_SCHOOL),
        "health": none_of(ILL),
        "insurance": none_of(UNINSURED),
    }
