"""The monitoring signals of a division's register, computed in bulk: one read of the
households that may carry a signal, with the year's income and unavoidable spending (the
database pre-filters a county's million rows in one scan, loosely, so that only candidates
cross into Python), the recent department alerts and the open cases as key sets, and the
rules over numpy columns, which decide. Nothing here loops over households in Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from zhucun.core.scope import Area, Scope
from zhucun.identification import rules as identification
from zhucun.procedures.models import Case
from zhucun.registry.catalogues import MONITORED_STATUSES
from zhucun.registry.models import Household, HouseholdIncome

from . import rules
from .models import DepartmentAlert

# What the list says a signalled household waits for.
PENDING, MONITORED, IN_CASE = "pending", "monitored", "in_case"


@dataclass(frozen=True)
class Settings:
    year: int
    line: float
    share: float = rules.DEFAULTS["spending_share"]
    alert_days: int = rules.DEFAULTS["alert_days"]

    @classmethod
    def of(cls, year: int) -> Settings:
        return cls(year, identification.monitoring_line(year))


@dataclass
class Signals:
    """The signalled households of an area: parallel columns, by village and household."""

    county: np.ndarray
    ids: np.ndarray
    village: np.ndarray
    status: np.ndarray
    income_per_head: np.ndarray
    spending: np.ndarray
    bits: np.ndarray
    state: np.ndarray
    settings: Settings
    counts: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.ids)

    def where(self, mask: np.ndarray) -> Signals:
        columns = ("county", "ids", "village", "status", "income_per_head", "spending", "bits", "state")
        return Signals(**{c: getattr(self, c)[mask] for c in columns}, settings=self.settings)

    def filtered(self, *, village: str | None = None, signal: str | None = None, state: str | None = None) -> Signals:
        mask = np.ones(len(self), bool)
        if village:
            mask &= np.char.startswith(self.village, village)
        if signal in rules.SIGNALS:
            mask &= (self.bits & rules.SIGNALS[signal]) != 0
        if state:
            mask &= self.state == state
        return self.where(mask)


def keys(county: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """One int64 per (county_code, id): the county's six digits above the id's 40 bits."""
    return county.astype(np.int64) * (1 << 40) + ids.astype(np.int64)


# Yuan of slack in the database's pre-filter, so that rounding there (numeric against float)
# never drops a household the rules below would flag: the rules decide, on the candidates.
SLACK = Decimal(1)


def candidates_filter(total: Any, members: Any, spending: Any, alert: Any, settings: Settings) -> Any:
    """A WHERE clause that keeps every household the rules could flag (and a few more): the
    database skips the great majority, which then never cross into Python."""
    heads = case((members > 1, members), else_=1)
    positive = case((total > 0, total), else_=0)
    line, share = Decimal(str(settings.line)), Decimal(str(settings.share))
    return or_(total < line * heads + SLACK, and_(spending > 0, spending > share * positive - SLACK), alert)


def register(session: Session, area: Area, scope: Scope, settings: Settings, since: date) -> tuple[Any, ...]:
    """county, id, village, members, status, income, spending of the area's households that
    may carry a signal (outside the poverty register itself), income NaN where the year is
    missing; and how many households were looked at."""
    income = HouseholdIncome
    total = income.wage + income.production + income.property + income.transfer - income.production_costs
    spending = func.coalesce(income.unavoidable_spending, 0)
    alert = (
        select(DepartmentAlert.id)
        .where(
            DepartmentAlert.county_code == Household.county_code,
            DepartmentAlert.household_id == Household.id,
            DepartmentAlert.alert_date >= since,
        )
        .exists()
    )
    joined = and_(income.county_code == Household.county_code, income.household_id == Household.id)
    where = (
        scope.county_clause(Household.county_code),
        area.within(Household.village_code),
        Household.status.not_in(rules.REGISTERED_POOR),
    )
    statement = (
        select(
            Household.county_code,
            Household.id,
            Household.village_code,
            Household.member_count,
            Household.status,
            total,
            spending,
        )
        .outerjoin(income, and_(joined, income.year == settings.year))
        .where(*where, candidates_filter(total, Household.member_count, spending, alert, settings))
    )  # unordered: sorting a county in SQL costs more than sorting the few signalled ones after
    # Plain rows (no ORM entities in them): the area is in the WHERE clause above already.
    rows = session.connection().execute(statement).all()
    looked_at = session.scalar(select(func.count()).select_from(Household).where(*where)) or 0
    if not rows:
        empty = np.array([], dtype="<U12")
        columns = (empty, np.array([], np.int64), empty, np.array([], np.int64), empty, np.array([]), np.array([]))
        return (*columns, looked_at)
    county, ids, village, members, status, total_, spent = zip(*rows)
    return (
        np.array(county, dtype="<U6"),
        np.array(ids, np.int64),
        np.array(village, dtype="<U12"),
        np.array(members, np.int64),
        np.array(status, dtype="<U2"),
        # None (no income row for the year) becomes NaN, which signals nothing.
        np.array(total_, np.float64),
        np.array(spent, np.float64),
        looked_at,
    )


def alerted(session: Session, scope: Scope, since: date) -> np.ndarray:
    """Keys of the households matched by a department alert dated on or after ``since``."""
    rows = session.execute(
        select(DepartmentAlert.county_code, DepartmentAlert.household_id)
        .where(
            scope.county_clause(DepartmentAlert.county_code),
            DepartmentAlert.household_id.is_not(None),
            DepartmentAlert.alert_date >= since,
        )
        .distinct()
    ).all()
    return _keys(rows)


def in_open_case(session: Session, scope: Scope) -> np.ndarray:
    rows = session.execute(
        select(Case.county_code, Case.household_id)
        .where(scope.county_clause(Case.county_code), Case.status == "open", Case.household_id.is_not(None))
        .distinct()
    ).all()
    return _keys(rows)


def _keys(rows: Sequence[Any]) -> np.ndarray:
    pairs = list(rows)
    if not pairs:
        return np.array([], np.int64)
    county, ids = zip(*pairs)
    return keys(np.array(county, dtype="<U6"), np.array(ids, np.int64))


def compute(session: Session, division: str, settings: Settings, today: date) -> Signals:
    """Every signalled household of the division (already in scope: the caller checked)."""
    area = Area.of(division)
    scope = Scope.of([area]).resolve(session)
    since = today - timedelta(days=settings.alert_days)
    county, ids, village, members, status, income, spending, looked_at = register(session, area, scope, settings, since)
    key = keys(county, ids)
    sudden = np.isin(key, alerted(session, scope, since))
    bits = rules.signal_bits(income, members, spending, sudden, line=settings.line, share=settings.share)
    found = rules.signalled(bits)
    order = np.lexsort((ids[found.positions], village[found.positions]))
    at, bits = found.positions[order], found.bits[order]
    state = np.full(len(at), PENDING, dtype="<U9")
    state[np.isin(key[at], in_open_case(session, scope))] = IN_CASE
    state[np.isin(status[at], MONITORED_STATUSES)] = MONITORED
    per_head = income[at] / np.maximum(members[at], 1)
    signals = Signals(county[at], ids[at], village[at], status[at], per_head, spending[at], bits, state, settings)
    signals.counts = {"households": looked_at, "signalled": len(at)}
    return signals


def heads(session: Session, county: list[str], ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """household_no and head's name of a page of households, by id (joined on county and id)."""
    if not ids:
        return {}
    rows = session.execute(
        select(Household.id, Household.household_no, Household.head_name).where(
            Household.county_code.in_(sorted(set(county))), Household.id.in_(ids)
        )
    ).all()
    return {row.id: (row.household_no, row.head_name) for row in rows}
