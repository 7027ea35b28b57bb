"""Killing the process in the middle of an import leaves the database as it was, and the
import can be run again: ``zhucun import members`` in a subprocess, SIGKILLed once rows are
being written, on the backend under test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from tests.conftest import BACKEND
from tests.factories.imports import csv_bytes, member_rows
from zhucun.core.imports.models import ImportBatch
from zhucun.registry.import_kind import sample
from zhucun.registry.models import Household, HouseholdIncome, Member

MEMBERS = 40_000
TABLES = (Household, Member, HouseholdIncome, ImportBatch)


def counts(fresh) -> dict[str, int]:
    db = fresh.database()
    try:
        with db.begin(write=False) as session:
            return {m.__tablename__: session.scalar(select(func.count()).select_from(m)) for m in TABLES}
    finally:
        db.dispose()


def command(path: Path, fresh, key_dir: Path) -> tuple[list[str], dict[str, str]]:
    env = {
        **os.environ,
        "ZHUCUN_DATABASE_URL": fresh.url,
        "ZHUCUN_KEY_DIR": str(key_dir),
        "ZHUCUN_LANG": "en",
        "ZHUCUN_MAX_UPLOAD_BYTES": str(1 << 30),
    }
    return [sys.executable, "-m", "zhucun.cli", "import", "members", str(path)], env


def wal_size(fresh) -> int:
    wal = Path(fresh.url.removeprefix("sqlite:///") + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def writing(fresh, wal_before: int) -> bool:
    """Whether the importer's rows are reaching the database (not yet committed): on SQLite its
    pages spill into the write-ahead log, on PostgreSQL the COPY into members has begun."""
    if BACKEND == "sqlite":
        return wal_size(fresh) > wal_before + (1 << 20)
    db = fresh.database()
    try:
        with db.engine.connect() as connection:
            return bool(
                connection.execute(
                    text(
                        # The server is shared by the xdist workers: only this database's COPY counts.
                        "SELECT coalesce(sum(tuples_processed), 0) FROM pg_stat_progress_copy"
                        " WHERE relid = 'members'::regclass AND datname = current_database()"
                    )
                ).scalar()
            )
    finally:
        db.dispose()


@pytest.mark.slow
def test_a_killed_import_leaves_nothing_and_can_run_again(tmp_path: Path, fresh, key_dir: Path):
    path = tmp_path / "big.csv"
    rows = member_rows(fresh.villages, MEMBERS, seed=80)
    path.write_bytes(csv_bytes(sample.MEMBER_HEADERS, rows))
    before = counts(fresh)
    wal_before = wal_size(fresh) if BACKEND == "sqlite" else 0
    args, env = command(path, fresh, key_dir)
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stderr:  # type: ignore[union-attr]
            if "writing" in line:
                break
        deadline = time.monotonic() + 120
        while not writing(fresh, wal_before):
            assert process.poll() is None, "the import ended before it could be killed"
            assert time.monotonic() < deadline, "no rows were being written"
            time.sleep(0.02)
        assert process.poll() is None
        process.send_signal(signal.SIGKILL)
        assert process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate()
    assert counts(fresh) == before
    again = subprocess.run(args, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert again.returncode == 0, again.stderr
    households = len({row[0] for row in rows})
    after = counts(fresh)
    assert (after["households"], after["members"], after["import_batches"]) == (households, MEMBERS, 1)
