"""Monitoring factories: a year's income that signals, department alert files, and a
monitoring case opened long enough ago for its clock to have run out."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tests.factories.imports import csv_bytes
from tests.factories.registry import id_number
from zhucun.config import Settings
from zhucun.core.auth import Principal
from zhucun.core.protect import Protector
from zhucun.identification.monitoring.import_kind import ALERT_FIELDS
from zhucun.procedures import service as procedures
from zhucun.procedures.models import Case
from zhucun.registry.models import Household, HouseholdIncome, Member

YEAR = 2025
HEADERS = [f.header for f in ALERT_FIELDS]


def income(session: Session, household_id: int, *, wage: int, spending: int = 0, year: int = YEAR) -> HouseholdIncome:
    """Set the household's income of the year (wages only) and its unavoidable spending."""
    household = session.scalars(select(Household).where(Household.id == household_id)).one()
    key = (HouseholdIncome.county_code == household.county_code, HouseholdIncome.household_id == household.id)
    session.execute(delete(HouseholdIncome).where(*key, HouseholdIncome.year == year))
    session.execute(
        insert(HouseholdIncome).values(
            county_code=household.county_code,
            household_id=household.id,
            year=year,
            wage=Decimal(wage),
            unavoidable_spending=Decimal(spending),
        )
    )
    session.flush()
    return session.scalars(select(HouseholdIncome).where(*key, HouseholdIncome.year == year)).one()


def signalled(session: Session, household_id: int) -> int:
    """Make the household's income per head far below any monitoring line; returns its id."""
    income(session, household_id, wage=1000)
    return household_id


def head_id_number(session: Session, settings: Settings, household_id: int) -> str:
    """The clear ID number of the household's head (revealed for the test's own file)."""
    cipher = session.scalars(
        select(Member.id_cipher).where(Member.household_id == household_id, Member.relation == "02")
    ).one()
    number = Protector.of(settings).reveal(cipher)
    assert number is not None
    return number


def alert_row(number: str, place: str, *, department: str = "医保", on: str = "2026-03-02", amount: str = "38000"):
    return ["王某", number, department, on, amount, "住院费用", place]


def alert_file(rows: list[list[str]], headers: list[str] | None = None) -> dict[str, Any]:
    return {"file": ("alerts.csv", csv_bytes(headers or HEADERS, rows), "text/csv")}


def stranger(region: str) -> str:
    """A valid ID number of nobody in the register."""
    return id_number(region, "19700101", male=True, seq=7)


def monitoring_case(session: Session, household_id: int, opened_on: date) -> Case:
    household = session.scalars(select(Household).where(Household.id == household_id)).one()
    return procedures.open_case(
        session,
        actor=Principal.system(),
        kind="monitoring",
        village_code=household.village_code,
        household_id=household.id,
        facts={"name": household.head_name, "size": household.member_count, "category": "22"},
        on=opened_on,
    )
