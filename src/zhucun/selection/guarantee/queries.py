"""The read side of guarantee: a county's monthly statement (allowances per cadre), the work
funds with their balances, policies near their end and health checks overdue — each a few
set-based statements, scoped by the session (a unit's account sees its own cadres only)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from zhucun.core.naming import Names
from zhucun.core.scope import access, access_by
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.helpers.queries import default_area

from . import days as days_source
from . import rules
from .models import FundSpending, HealthCheck, InsurancePolicy, WorkFund
from .settings import rules_for


def statement(
    session: Session, county: str, month: date, *, unit_id: int | None = None, cadre_id: int | None = None
) -> dict[str, Any]:
    """The month's allowances of every cadre of the county the reader sees (optionally one
    unit's or one cadre's): days in the village, each allowance and the total, in yuan."""
    county, month = county[:6], month.replace(day=1)
    found, source = days_source.days_in_village(session, county, month)
    query = select(Cadre.id, Cadre.name, Cadre.unit_id).where(
        Cadre.county_code == county, Cadre.id.in_(list(found) or [-1])
    )
    if unit_id is not None:
        query = query.where(Cadre.unit_id == unit_id)
    if cadre_id is not None:
        query = query.where(Cadre.id == cadre_id)
    cadres = session.execute(query.order_by(Cadre.unit_id, Cadre.name, Cadre.id)).all()
    villages = _villages(session, county, month, [c.id for c in cadres])
    workdays = int(rules.workday_mask(month).sum())
    earned = rules.allowances(
        np.array([found[c.id] for c in cadres], dtype=np.int64), workdays, rules_for(session, county, month.year)
    )
    rows = [
        {
            "cadre_id": c.id,
            "name": c.name,
            "unit_id": c.unit_id,
            "village_code": villages.get(c.id),
            "days": int(found[c.id]),
            **{k: rules.yuan(getattr(earned, k)[i]) for k in ("work", "meals", "transport", "phone", "total")},
        }
        for i, c in enumerate(cadres)
    ]
    total = rules.yuan(int(earned.total.sum())) if rows else Decimal("0.00")
    return {
        "county": county,
        "month": month.strftime("%Y-%m"),
        "workdays": workdays,
        "source": source,
        "rows": rows,
        "total": total,
    }


def _villages(session: Session, county: str, month: date, cadre_ids: list[int]) -> dict[int, str]:
    """Each cadre's village in the month: that of their latest posting begun by its end."""
    last = rules.month_days(month)[-1]
    rows = session.execute(
        select(CadrePosting.cadre_id, CadrePosting.village_code)
        .where(
            CadrePosting.county_code == county,
            CadrePosting.cadre_id.in_(cadre_ids or [-1]),
            CadrePosting.start_date <= last,
        )
        .order_by(CadrePosting.start_date)
    ).all()
    return {r.cadre_id: r.village_code for r in rows}


def with_names(session: Session, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statement rows with the village and unit named, for pages and exports."""
    names = Names(session)
    names.prefetch(r["village_code"] for r in rows)
    return [{**r, "village": names.division(r["village_code"]), "unit": names.unit(r["unit_id"])} for r in rows]


def funds(session: Session, county: str, year: int, cadre_id: int | None = None) -> list[WorkFund]:
    query = select(WorkFund).where(WorkFund.county_code == county[:6], WorkFund.year == year)
    if cadre_id is not None:
        query = query.where(WorkFund.cadre_id == cadre_id)
    return list(session.scalars(query.order_by(WorkFund.village_code, WorkFund.kind, WorkFund.id)))


def spendings(session: Session, fund: WorkFund) -> list[FundSpending]:
    return list(
        session.scalars(
            select(FundSpending)
            .where(FundSpending.county_code == fund.county_code, FundSpending.fund_id == fund.id)
            .order_by(FundSpending.spent_on, FundSpending.id)
        )
    )


def _not_renewed() -> Any:
    later = aliased(InsurancePolicy)
    return ~exists(
        select(later.id).where(
            later.county_code == InsurancePolicy.county_code,
            later.cadre_id == InsurancePolicy.cadre_id,
            later.ends_on > InsurancePolicy.ends_on,
        )
    )


def _expiring_clauses(county: str, today: date, within: int) -> list[Any]:
    return [
        InsurancePolicy.county_code == county[:6],
        InsurancePolicy.ends_on >= today,
        InsurancePolicy.ends_on <= today + timedelta(days=within),
        _not_renewed(),
    ]


def warning_days(session: Session, county: str, today: date) -> int:
    return rules_for(session, county, today.year).insurance_warning_days


def expiring(session: Session, county: str, today: date, within: int | None = None) -> list[InsurancePolicy]:
    """Policies ending within the warning days whose cadre has no later policy, soonest first."""
    within = warning_days(session, county, today) if within is None else within
    return list(
        session.scalars(
            select(InsurancePolicy)
            .where(*_expiring_clauses(county, today, within))
            .order_by(InsurancePolicy.ends_on, InsurancePolicy.id)
        )
    )


def expiring_count(session: Session, county: str, today: date) -> int:
    within = warning_days(session, county, today)
    return (
        session.scalar(
            select(func.count()).select_from(InsurancePolicy).where(*_expiring_clauses(county, today, within))
        )
        or 0
    )


def policies(session: Session, county: str) -> list[InsurancePolicy]:
    return list(
        session.scalars(
            select(InsurancePolicy)
            .where(InsurancePolicy.county_code == county[:6])
            .order_by(InsurancePolicy.ends_on.desc(), InsurancePolicy.id)
        )
    )


def _in_post(session: Session, county: str) -> list[Any]:
    """Each cadre in post of the county (in the reader's scope): id, the earliest start of
    their open postings, and the date of their last check done (None: never)."""
    county = county[:6]
    last = (
        select(
            HealthCheck.county_code,
            HealthCheck.cadre_id,
            func.max(HealthCheck.checked_on).label("last"),
        )
        .where(HealthCheck.county_code == county, HealthCheck.done.is_(True))
        .group_by(HealthCheck.county_code, HealthCheck.cadre_id)
        .subquery()
    )
    posted = and_(
        CadrePosting.county_code == Cadre.county_code,
        CadrePosting.cadre_id == Cadre.id,
        CadrePosting.end_date.is_(None),
    )
    checked = and_(last.c.county_code == Cadre.county_code, last.c.cadre_id == Cadre.id)
    return list(
        session.execute(
            select(Cadre.id, func.min(CadrePosting.start_date).label("start"), func.max(last.c.last).label("last"))
            .join(CadrePosting, posted)
            .outerjoin(last, checked)
            .where(Cadre.county_code == county)
            .group_by(Cadre.county_code, Cadre.id)
        ).all()
    )


def _overdue_ids(session: Session, county: str, today: date) -> list[int]:
    """The cadres in post whose yearly check is due and not done (``rules.health_overdue``)."""
    found = _in_post(session, county)
    if not found:
        return []
    settings = rules_for(session, county, today.year)
    mask = rules.health_overdue(
        np.array([r.start for r in found], dtype="datetime64[D]"),
        np.array([r.last if r.last is not None else "NaT" for r in found], dtype="datetime64[D]"),
        today,
        settings.health_check_interval_days,
        settings.health_check_grace_days,
    )
    return [int(r.id) for r, keep in zip(found, mask, strict=True) if keep]


def health_overdue(session: Session, county: str, today: date) -> list[Cadre]:
    ids = _overdue_ids(session, county, today)
    if not ids:
        return []
    return list(
        session.scalars(
            select(Cadre).where(Cadre.county_code == county[:6], Cadre.id.in_(ids)).order_by(Cadre.name, Cadre.id)
        )
    )


def health_overdue_count(session: Session, county: str, today: date) -> int:
    return len(_overdue_ids(session, county, today))


def health_checks(session: Session, county: str, year: int) -> list[HealthCheck]:
    return list(
        session.scalars(
            select(HealthCheck)
            .where(HealthCheck.county_code == county[:6], HealthCheck.year == year)
            .order_by(HealthCheck.cadre_id)
        )
    )


def cadre_names(session: Session, county: str, ids: list[int]) -> dict[int, str]:
    rows = session.execute(
        select(Cadre.id, Cadre.name).where(Cadre.county_code == county[:6], Cadre.id.in_(ids or [-1]))
    )
    return dict(rows.all())


def access_cadre(session: Session, county_code: str, cadre_id: int) -> Cadre:
    """A cadre by (county, id): 404 when missing or outside the reader's scope."""
    return access_by(session, Cadre, county_code=county_code, id=cadre_id)


def access_fund(session: Session, county_code: str, fund_id: int) -> tuple[WorkFund, Cadre]:
    """A work fund and its holder, both within the reader's scope."""
    fund = access_by(session, WorkFund, county_code=county_code, id=fund_id)
    return fund, access_cadre(session, county_code, fund.cadre_id)


def default_county(session: Session, principal: Any, asked: str | None = None) -> str | None:
    """The county asked for (checked against the scope), or the reader's own."""
    if asked:
        access(session, Division, asked[:6] + "000000")
        return asked[:6]
    area = default_area(session, principal)
    return area[:6] if area else None


def parse_month(text: str | None, today: date | None = None) -> date:
    """``2026-11`` → its first day; by default the month before this one (the last whole one)."""
    if text:
        year, month = text.split("-")
        return date(int(year), int(month), 1)
    first = (today or date.today()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def health_checks_of(session: Session, cadre: Cadre) -> list[HealthCheck]:
    return list(
        session.scalars(
            select(HealthCheck)
            .where(HealthCheck.county_code == cadre.county_code, HealthCheck.cadre_id == cadre.id)
            .order_by(HealthCheck.year.desc())
        )
    )


def unit_counties(session: Session, unit_id: int, month: date) -> list[str]:
    """The counties where the unit's cadres were posted in the month."""
    last = rules.month_days(month)[-1]
    rows = session.execute(
        select(CadrePosting.county_code)
        .join(Cadre, (Cadre.county_code == CadrePosting.county_code) & (Cadre.id == CadrePosting.cadre_id))
        .where(
            Cadre.unit_id == unit_id,
            CadrePosting.start_date <= last,
            or_(CadrePosting.end_date.is_(None), CadrePosting.end_date >= month.replace(day=1)),
        )
        .distinct()
    )
    return sorted(rows.scalars())
