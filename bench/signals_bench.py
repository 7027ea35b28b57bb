"""Return-to-poverty signals over a register of 1,000,000 households, on SQLite and on
PostgreSQL, against a per-household Python loop over the same rows in the same run.

    python -m bench.run --only signals [--quick]

Goal: the bulk computation (``identification.monitoring.signals.compute``: one read through
the driver's cursor, numpy rules) in at most 10 s on each backend. The baseline reads the
same households one village at a time through the ORM, as a per-household service would,
and decides each household's signals in Python; both must find the same households.

The register is built here, lean: the generator's divisions (no registers), then households,
one year's incomes with unavoidable spending, and department alerts for 1 % of them,
written in bulk (COPY on PostgreSQL).
"""

from __future__ import annotations

import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import numpy as np
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from bench import datasets
from zhucun.core.bulk import analyze, copy_rows
from zhucun.core.crypto import Keyring
from zhucun.core.db import Database
from zhucun.core.migrate import upgrade
from zhucun.core.protect import Protector
from zhucun.core.scope import Scope, bind
from zhucun.demo.generator import generate
from zhucun.divisions.models import Division
from zhucun.identification.monitoring import rules, signals
from zhucun.identification.monitoring.models import DepartmentAlert
from zhucun.registry.models import Household, HouseholdIncome

YEAR = 2025
TODAY = date(2026, 6, 30)
HOUSEHOLDS_PER_VILLAGE = 250
GOAL_SECONDS = 10.0
HOUSEHOLD_COLUMNS = (
    *("county_code", "id", "household_no", "village_code", "member_count", "attribute", "status"),
    *("created_at", "updated_at"),
)
INCOME_COLUMNS = (
    *("county_code", "household_id", "year", "wage", "production", "property", "transfer"),
    *("production_costs", "unavoidable_spending"),
)
ALERT_COLUMNS = (
    *("county_code", "id", "division_code", "household_id", "id_hash", "id_masked", "name", "department"),
    *("alert_date", "monitored", "created_at"),
)
# The whole register: every county the generator made (signals are asked for a county or above).
EVERYWHERE = ""


def run(env) -> dict:
    n = 20_000 if env.quick else 1_000_000
    results: dict[str, object] = {"households": n, "goal_seconds": GOAL_SECONDS}
    results["sqlite"] = _measure(f"sqlite:///{Path(env.workdir) / 'signals.db'}", n)
    if env.pg_url:
        url = _pg_database(env.pg_url, f"zhucun_bench_signals_{n}")
        results["postgresql"] = _measure(url, n)
        datasets.drop(env.pg_url, url)
    else:
        results["postgresql"] = {"skipped": "no PostgreSQL server"}
    return results


def _pg_database(pg_url: str, name: str) -> str:
    server = make_url(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def _measure(url: str, n: int) -> dict[str, object]:
    upgrade(url)
    db = Database(url)
    try:
        started = time.perf_counter()
        root = _build(db, n)
        built = time.perf_counter() - started
        with db.session() as session:
            bind(session, Scope.everywhere())
            settings = signals.Settings.of(YEAR)
            started, cpu = time.perf_counter(), time.process_time()
            found = signals.compute(session, root, settings, TODAY)
            bulk, bulk_cpu = time.perf_counter() - started, time.process_time() - cpu
            started = time.perf_counter()
            looped = _loop(session, settings)
            loop = time.perf_counter() - started
    finally:
        db.dispose()
    same = looped == dict(zip(found.ids.tolist(), found.bits.tolist()))
    line = f"{n:,} households: bulk {bulk:.2f} s (this process's CPU {bulk_cpu:.2f} s)"
    line += f", per-household loop {loop:.2f} s ({loop / bulk:.1f}×)"
    print(f"{make_url(url).get_backend_name()}: {line}; same households: {same}", flush=True)
    return {
        "build_seconds": round(built, 2),
        "bulk_seconds": round(bulk, 2),
        # On a shared machine the wall time includes waiting for a core; SQLite runs in this
        # process, so its CPU time is the work itself (PostgreSQL's server time is not in it).
        "bulk_cpu_seconds": round(bulk_cpu, 2),
        "loop_seconds": round(loop, 2),
        "speedup": round(loop / bulk, 1),
        "signalled": len(found),
        "same_result": same,
        "within_goal": bulk <= GOAL_SECONDS,
    }


def _build(db: Database, n: int) -> str:
    """Divisions from the generator, then ``n`` households with incomes and alerts; returns
    the division the signals are computed over (all of it)."""
    villages_wanted = max(1, n // HOUSEHOLDS_PER_VILLAGE)
    with db.begin() as session:
        bind(session, Scope.everywhere())
        keys = Keyring.load_or_create(datasets.KEY_DIR)
        generate(session, protector=Protector(keys), seed=1, villages=villages_wanted, households=0)
        villages = np.array(
            session.scalars(select(Division.code).where(Division.level == "village").order_by(Division.code)).all()
        )
        rng = np.random.default_rng(12)
        village = np.sort(villages[rng.integers(0, len(villages), n)])
        county = np.array([code[:6] for code in village])
        ids = np.arange(1, n + 1)
        members = rng.integers(1, 7, n)
        status = rng.choice(np.array(["00", "12", "14", "21"]), n, p=[0.6, 0.25, 0.1, 0.05])
        now = datetime(2026, 1, 1)
        copy_rows(
            session,
            Household.__table__,
            HOUSEHOLD_COLUMNS,
            zip(
                county.tolist(),
                ids.tolist(),
                [f"H{i}" for i in ids.tolist()],
                village.tolist(),
                members.tolist(),
                ["1"] * n,
                status.tolist(),
                [now] * n,
                [now] * n,
            ),
        )
        # Income per head around 20,000 (rural China's median is near it; about 3 % fall below
        # 2025's line of 7,600); 2 % with a large unavoidable expense, the rest small ones.
        wage = np.round(members * rng.lognormal(np.log(20000), 0.5, n), 2)
        spending = np.round(np.where(rng.random(n) < 0.02, wage * rng.random(n), rng.random(n) * 500), 2)
        zero = Decimal(0)
        copy_rows(
            session,
            HouseholdIncome.__table__,
            INCOME_COLUMNS,
            zip(
                county.tolist(),
                ids.tolist(),
                [YEAR] * n,
                map(Decimal, wage.astype(str).tolist()),
                [zero] * n,
                [zero] * n,
                [zero] * n,
                [zero] * n,
                map(Decimal, spending.astype(str).tolist()),
            ),
        )
        alerted = np.flatnonzero(rng.random(n) < 0.01)
        copy_rows(
            session,
            DepartmentAlert.__table__,
            ALERT_COLUMNS,
            (
                (
                    county[i],
                    k,
                    village[i],
                    int(ids[i]),
                    f"{k:064d}",
                    "5201**********0000",
                    "某",
                    "01",
                    date(2026, 3, 1),
                    False,
                    now,
                )
                for k, i in enumerate(alerted.tolist(), start=1)
            ),
        )
        # Fresh statistics, as the import engine takes after a large load (PostgreSQL only).
        analyze(session, ["households", "household_incomes", "department_alerts"])
        return EVERYWHERE


def _loop(session, settings: signals.Settings) -> dict[int, int]:
    """The baseline: the same households with their incomes, read row by row through
    SQLAlchemy (one streamed query), each household decided in Python, the alerts looked up
    in a set."""
    since = date.fromordinal(TODAY.toordinal() - settings.alert_days)
    alerts = set(
        session.execute(
            select(DepartmentAlert.county_code, DepartmentAlert.household_id).where(
                DepartmentAlert.household_id.is_not(None), DepartmentAlert.alert_date >= since
            )
        ).tuples()
    )
    income = HouseholdIncome
    rows = session.execute(
        select(
            Household.county_code,
            Household.id,
            Household.member_count,
            Household.status,
            income.wage,
            income.production,
            income.property,
            income.transfer,
            income.production_costs,
            income.unavoidable_spending,
        )
        .outerjoin(
            income,
            (income.county_code == Household.county_code)
            & (income.household_id == Household.id)
            & (income.year == settings.year),
        )
        .execution_options(yield_per=20_000)
    )
    found: dict[int, int] = {}
    for county, household_id, members, status, *money in rows:
        if status in rules.REGISTERED_POOR:
            continue
        bits = _one(members, money, settings, (county, household_id) in alerts)
        if bits:
            found[household_id] = bits
    return found


def _one(members: int, money: list, settings: signals.Settings, alerted: bool) -> int:
    bits = rules.SUDDEN_EVENT if alerted else 0
    wage, production, property_, transfer, costs, spending = money
    if wage is None:  # no income recorded for the year
        return bits
    total = float(wage + production + property_ + transfer - costs)
    if total / max(members, 1) < settings.line:
        bits |= rules.LOW_INCOME
    if spending > 0 and float(spending) > settings.share * max(total, 0):
        bits |= rules.HEAVY_SPENDING
    return bits
