"""The commands on a committed generated register: ``signals --json`` finds exactly the
households a plain Python computation over the same rows finds, and ``sweep --on``
escalates an overdue case once."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.conftest import Databases, make_settings
from zhucun.core.auth import Principal
from zhucun.core.db import Database
from zhucun.core.protect import Protector
from zhucun.core.scope import Scope, bind
from zhucun.demo.generator import generate
from zhucun.identification import rules as identification
from zhucun.identification.monitoring import rules
from zhucun.procedures import service as procedures
from zhucun.procedures.models import Case
from zhucun.registry.models import Household, HouseholdIncome

YEAR = 2025


@pytest.fixture(scope="module")
def register(databases: Databases, key_dir: Path):
    url = databases.migrated("signals")
    db = Database(url)
    with db.begin() as session:
        bind(session, Scope.everywhere())
        generate(session, protector=Protector.of(make_settings(url, key_dir)), seed=3, villages=8, households=1500)
    yield url, db
    db.dispose()


def _expected(db: Database, county: str) -> dict[int, list[str]]:
    """Every candidate household's signals, one at a time in plain Python (no alerts here)."""
    line, share = identification.monitoring_line(YEAR), rules.DEFAULTS["spending_share"]
    found: dict[int, list[str]] = {}
    with db.session() as session:
        bind(session, Scope.everywhere())
        incomes = {
            i.household_id: i
            for i in session.scalars(
                select(HouseholdIncome).where(HouseholdIncome.county_code == county, HouseholdIncome.year == YEAR)
            )
        }
        for h in session.scalars(select(Household).where(Household.county_code == county)):
            income = incomes.get(h.id)
            if h.status in ("11", "13") or income is None:
                continue
            total = float(income.wage + income.production + income.property + income.transfer - income.production_costs)
            names = []
            if total / max(h.member_count, 1) < line:
                names.append("low_income")
            spending = float(income.unavoidable_spending)
            if spending > 0 and spending > share * max(total, 0):
                names.append("heavy_spending")
            if names:
                found[h.id] = names
    return found


def test_signals_json_equals_a_plain_computation(register, cli, key_dir):
    url, db = register
    with db.session() as session:
        county = session.scalars(select(Household.county_code).order_by(Household.county_code)).first()
    result = cli(url)(
        "identification",
        "signals",
        "--division",
        county,
        "--year",
        str(YEAR),
        "--json",
        env={"ZHUCUN_KEY_DIR": str(key_dir)},
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    expected = _expected(db, county)
    assert expected, "the generated register has households below the line"
    assert {item["household_id"]: item["signals"] for item in printed["items"]} == expected
    assert printed["total"] == len(expected) and printed["year"] == YEAR
    assert all("id_number" not in item for item in printed["items"])
    unknown = cli(url)("identification", "signals", "--division", "999999", env={"ZHUCUN_KEY_DIR": str(key_dir)})
    assert unknown.exit_code != 0


def test_sweep_escalates_an_overdue_case_once(register, cli, key_dir):
    url, db = register
    with db.begin() as session:
        bind(session, Scope.everywhere())
        household = session.scalars(select(Household).where(Household.status == "12").order_by(Household.id)).first()
        case = procedures.open_case(
            session,
            actor=Principal.system(),
            kind="monitoring",
            village_code=household.village_code,
            household_id=household.id,
            facts={"category": "21"},
            on=date(2026, 3, 2),
        )
        case_id = case.id
    env = {"ZHUCUN_KEY_DIR": str(key_dir)}
    first = cli(url)("identification", "sweep", "--on", "2026-04-01", env=env)
    assert first.exit_code == 0, first.output
    assert f"{case_id}  → township" in first.output
    again = cli(url)("identification", "sweep", "--on", "2026-04-01", env=env)
    assert again.exit_code == 0 and "0 escalated" in again.output
    with db.session() as session:
        bind(session, Scope.everywhere())
        assert session.scalars(select(Case.escalated_to).where(Case.id == case_id)).one() == "township"
    bad = cli(url)("identification", "sweep", "--on", "yesterday", env=env)
    assert bad.exit_code != 0
