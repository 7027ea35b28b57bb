"""A household's exit checks, read from the register for the exit case page: incomes of
the years the rule looks at, and its members' schooling and insurance."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from zhucun.identification.labels import EXIT_CHECKS as LABELS
from zhucun.registry.models import Household, HouseholdIncome, Member

from . import rules
from .rules import Check


def _incomes(session: Session, household: Household, years: list[int]) -> dict[int, float | None]:
    i = HouseholdIncome
    net = i.wage + i.production + i.property + i.transfer - i.production_costs
    rows = session.execute(
        select(i.year, net).where(
            i.county_code == household.county_code, i.household_id == household.id, i.year.in_(years)
        )
    ).all()
    heads = max(household.member_count or 0, 1)
    return {int(year): float(total) / heads for year, total in rows}


def _members(session: Session, household: Household, year: int) -> tuple[int, int]:
    """(children of compulsory school age out of school, members without medical insurance)."""
    child = and_(Member.birth_date > date(year - 16, 12, 31), Member.birth_date <= date(year - 6, 12, 31))
    row = session.execute(
        select(
            func.sum(case((and_(child, func.coalesce(Member.student, "0") == "0"), 1), else_=0)),
            func.sum(case((Member.medical_insurance.is_(True), 0), else_=1)),
        ).where(Member.county_code == household.county_code, Member.household_id == household.id, Member.status == "1")
    ).one()
    return int(row[0] or 0), int(row[1] or 0)


def for_household(session: Session, household: Household, year: int, stable_years: int | None = None) -> list[Check]:
    """The named exit checks of a household in ``year`` (the last year of incomes looked at)."""
    stable = stable_years or int(rules.DEFAULTS["stable_years"])
    incomes = _incomes(session, household, list(range(year - stable + 1, year + 1)))
    out_of_school, uninsured = _members(session, household, year)
    return rules.household_checks(
        incomes,
        year,
        stable_years=stable,
        housing_safe=household.housing_safe,
        water_safe=household.water_safe,
        out_of_school=out_of_school,
        uninsured=uninsured,
    )


def latest_year(session: Session, household: Household) -> int | None:
    return session.scalar(
        select(func.max(HouseholdIncome.year)).where(
            HouseholdIncome.county_code == household.county_code, HouseholdIncome.household_id == household.id
        )
    )


def case_checks(session: Session, household: Household, on: date) -> tuple[int, list[Check]]:
    """The exit checks of a household's exit case, in the latest year of recorded income
    (the year before ``on`` when none is recorded, so that missing income fails by name):
    the case page shows them and the case's evaluation refuses on them, one rule for both."""
    year = latest_year(session, household) or on.year - 1
    return year, for_household(session, household, year)


def failed(session: Session, household: Household, on: date) -> tuple[str, ...]:
    """The names of the exit checks a household fails (labels in ``LABELS``)."""
    _year, checks = case_checks(session, household, on)
    return tuple(c.name for c in checks if not c.ok)


def shown(session: Session, household: Household, on: date) -> list[dict[str, Any]]:
    """The exit checks as the case page shows them, with their labels and year."""
    year, checks = case_checks(session, household, on)
    return [{"name": c.name, "label": LABELS[c.name], "ok": c.ok, "detail": c.detail, "year": year} for c in checks]
