"""After an import the database holds no ID number, phone or bank account in clear: on
SQLite the raw bytes of the database file and its log are searched; on PostgreSQL every
row of the tables an import writes, as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import BACKEND
from tests.factories.imports import csv_bytes, member_rows
from zhucun.core.auth import Principal
from zhucun.core.imports import service
from zhucun.core.imports.files import Source
from zhucun.core.imports.problems import ImportRejected
from zhucun.core.scope import Scope, bind
from zhucun.registry.import_kind import sample

HEADERS = sample.MEMBER_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}
TABLES = ("households", "members", "household_incomes", "import_batches", "import_problems", "audit_entries")


def secrets_of(rows: list[list[str]]) -> set[str]:
    columns = ("证件号码", "联系电话", "开户银行账号")
    return {row[COLUMN[name]] for row in rows for name in columns if row[COLUMN[name]]}


def run(fresh, rows: list[list[str]], name: str) -> None:
    db = fresh.database()
    session = bind(db.session(write=True), Scope.everywhere())
    try:
        service.import_file(
            session,
            "members",
            actor=Principal.system(),
            settings=fresh.settings,
            source=Source.of_bytes(csv_bytes(HEADERS, rows), name),
        )
    finally:
        session.close()
        db.dispose()


def stored_text(fresh) -> str:
    if BACKEND == "sqlite":
        base = Path(fresh.url.removeprefix("sqlite:///"))
        files = [base, base.with_name(base.name + "-wal")]
        return b"".join(p.read_bytes() for p in files if p.exists()).decode("latin-1")
    db = fresh.database()
    try:
        with db.engine.connect() as connection:
            return "\n".join(
                str(row[0]) for table in TABLES for row in connection.execute(text(f"SELECT t::text FROM {table} t"))
            )
    finally:
        db.dispose()


def test_no_personal_number_is_stored_in_clear(fresh):
    good = member_rows(fresh.villages[:2], 200, seed=95)
    run(fresh, good, "good.csv")
    bad = member_rows(fresh.villages[:2], 20, seed=96, start=5000)
    bad[3][COLUMN["证件号码"]] = bad[3][COLUMN["证件号码"]][:-1] + "Q"
    bad[5][COLUMN["联系电话"]] = "12-abc"
    with pytest.raises(ImportRejected):
        run(fresh, bad, "bad.csv")
    stored = stored_text(fresh)
    if BACKEND == "sqlite":
        assert "members.csv" in stored or "good.csv" in stored  # the bytes searched are the right ones
    leaked = [value for value in secrets_of(good) | secrets_of(bad) if value in stored]
    assert leaked == []
    digits = [value for value in secrets_of(good) if value.isdigit()]
    assert not [value for value in digits if value.encode("utf-16-le").decode("latin-1") in stored]
