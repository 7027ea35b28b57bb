"""Reads of the monitoring pages: the division a reader works on, the signals page, the
alerts of a division (matched or not), always through the session's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from zhucun.core.codes import pad
from zhucun.core.deps import Ctx
from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l
from zhucun.core.scope import Area
from zhucun.divisions.models import Division
from zhucun.divisions.queries import access_division

from . import present, signals
from .models import DepartmentAlert
from .schemas import SignalPage

CHOOSE = _l("Choose a division (a county, a township or a village).")


def division_of(ctx: Ctx, division: str | None) -> str:
    """The division asked for, or the reader's own (its first grant's); 404 outside the scope."""
    code = division or next((g.division_code for g in ctx.principal.grants if g.division_code), None)
    if not code:
        # A reader of the whole country (the administrator) starts at the first county, not at
        # a refusal: signals are computed per area, and a country at once is not a page.
        code = ctx.session.scalar(
            select(Division.code).where(Division.level == "county").order_by(Division.code).limit(1)
        )
    if not code:
        raise Invalid(CHOOSE, field="division", code="division_missing")
    return access_division(ctx.session, pad(code)[:12] if len(code) in (6, 9) else code).code


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
