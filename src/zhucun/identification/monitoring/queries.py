"""Reads of the monitoring pages: the division a reader works on, the signals page, the
alerts of a division (matched or not), always through the session's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l
from zhucun.core.scope import Area

from . import present, signals
from .models import DepartmentAlert
from .schemas import SignalPage


def sweep_day(on: date | None, today: date) -> date:
    """The day a sweep runs as: today, or a past day (a future one would escalate early)."""
    if on is not None and on > today:
        raise Invalid(_l("The sweep cannot run as of a future day."), field="on", code="future_day")
    return on or today


def default_year(today: date) -> int:
    """Incomes are known for the last full year."""
    return today.year - 1


def signal_page(
    session: Session,
    division: str,
    *,
    year: int,
    today: date,
    village: str | None = None,
    signal: str | None = None,
    state: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[SignalPage, signals.Signals]:
    settings = signals.Settings.of(year)
    found = signals.compute(session, division, settings, today)
    shown = found.filtered(village=village, signal=signal, state=state)
    page = SignalPage(
        year=year,
        line=settings.line,
        share=settings.share,
        households=found.counts["households"],
        total=len(shown),
        items=present.rows(session, shown, offset, offset + limit),
    )
    return page, shown


@dataclass
class AlertCounts:
    matched: int
    unmatched: int
    monitored: int


def alert_filters(division: str, matched: str | None) -> Select[Any]:
    statement = select(DepartmentAlert).where(Area.of(division).within(DepartmentAlert.division_code))
    if matched == "1":
        statement = statement.where(DepartmentAlert.household_id.is_not(None))
    elif matched == "0":
        statement = statement.where(DepartmentAlert.household_id.is_(None))
    return statement


def alerts(session: Session, division: str, matched: str | None, limit: int = 200) -> tuple[int, list[DepartmentAlert]]:
    statement = alert_filters(division, matched)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    order = (DepartmentAlert.alert_date.desc(), DepartmentAlert.county_code, DepartmentAlert.id)
    return total, list(session.scalars(statement.order_by(*order).limit(limit)))


def unmatched_count(session: Session) -> int:
    """Alerts in the reader's scope whose person is not in the register."""
    statement = select(func.count()).select_from(DepartmentAlert).where(DepartmentAlert.household_id.is_(None))
    return session.scalar(statement) or 0
