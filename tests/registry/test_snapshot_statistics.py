"""Comparing right after the first freeze (PostgreSQL): the freeze leaves the snapshot tables
with fresh statistics, so that the comparison of a county of a few thousand households plans
as a hash join and finishes in a few seconds, not as nested loops over rows the planner
believes to be a handful (it ran for more than five minutes on a real county)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tests.conftest import BACKEND, Databases, make_settings
from zhucun.core.auth import Principal
from zhucun.core.bulk import on_citus
from zhucun.core.db import Database
from zhucun.core.protect import Protector
from zhucun.core.scope import Scope, bind
from zhucun.demo.generator import generate
from zhucun.registry.models import Household
from zhucun.registry.snapshots import queries, service

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BACKEND != "postgresql", reason="planner statistics are PostgreSQL's"),
]
HOUSEHOLDS = 4000
BUDGET_SECONDS = 5.0


@pytest.fixture(scope="module")
def county_db(databases: Databases, key_dir: Path):
    url = databases.migrated("snapstats")
    db = Database(url)
    with db.begin() as session:
        bind(session, Scope.everywhere())
        generate(session, protector=Protector.of(make_settings(url, key_dir)), households=HOUSEHOLDS)
    yield db
    db.dispose()


def _estimated_rows(db: Database, table: str) -> float:
    with db.engine.connect() as connection:
        return connection.execute(text("SELECT reltuples FROM pg_class WHERE relname = :t"), {"t": table}).scalar_one()


def test_a_comparison_right_after_the_first_freeze_finishes_within_seconds(county_db):
    session = bind(county_db.session(write=True), Scope.everywhere())
    try:
        county = session.scalars(select(Household.county_code).limit(1)).one()
        service.freeze(session, actor=Principal.system(), county=county, year=2025)
        if not on_citus(session):  # there the rows, and their statistics, are in the shards on the workers
            assert _estimated_rows(county_db, "household_snapshots") == pytest.approx(HOUSEHOLDS, rel=0.05)
            assert _estimated_rows(county_db, "member_snapshots") > 2 * HOUSEHOLDS
        started = time.perf_counter()
        comparison = queries.compare(session, Scope.everywhere(), county, 2025, None)
        elapsed = time.perf_counter() - started
    finally:
        session.close()
    assert sum(comparison.totals.values()) == 0, "nothing changed since the freeze"
    assert elapsed < BUDGET_SECONDS, f"the comparison took {elapsed:.1f} s"
