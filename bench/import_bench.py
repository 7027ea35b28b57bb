"""Importing households and members: members per second from CSV and from .xlsx, into SQLite
and PostgreSQL, everything included (reading, checking, encrypting, de-duplicating,
writing), against a raw binary COPY of the same final member rows into the same table
with the same indexes, measured in the same run; and calamine against openpyxl.

    BENCH_ARGS="--only import" make bench        (add --quick for a small run)

Not a test: machines differ, the ratios are what to compare. Wall time is what a clerk
waits for; the CPU seconds of this process are printed beside it because a shared machine
makes wall times noisy.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from zhucun.config import Settings
from zhucun.core.auth import Principal
from zhucun.core.db import Database
from zhucun.core.imports import service
from zhucun.core.imports.files import Source
from zhucun.core.scope import Scope, bind
from zhucun.demo import county
from zhucun.demo.import_database import prepare_database
from zhucun.registry.import_kind import sample

READER_ROWS = 100_000  # openpyxl takes minutes beyond this; the speed-up is a rate


def run(env) -> dict[str, Any]:
    """The harness entry (bench/run.py): a million members, or 20,000 when quick."""
    n = 20_000 if env.quick else 1_000_000
    work = Path(env.workdir) / "import"
    work.mkdir(parents=True, exist_ok=True)
    files = _files(work, n)
    results: dict[str, Any] = {
        "members": n,
        "csv_bytes": files["csv"].stat().st_size,
        "xlsx_bytes": files["xlsx"].stat().st_size,
    }
    settings = {"key_dir": work / "keys", "max_upload_bytes": 1 << 34}
    for fmt in ("csv", "xlsx"):
        url = f"sqlite:///{work / f'bench_{fmt}.db'}"
        results[f"sqlite_{fmt}"] = _import(url, files[fmt], Settings(database_url=url, **settings))
    if env.pg_url:
        results |= _postgresql(env.pg_url, files, settings, work)
    results["xlsx_reader"] = _readers(work, min(n, READER_ROWS))
    _print(results)
    return results


def _files(work: Path, n: int) -> dict[str, Path]:
    villages = [row["code"] for row in county.generate(1)[0] if row["level"] == "village"]
    paths = {"csv": work / f"members_{n}.csv", "xlsx": work / f"members_{n}.xlsx"}
    for fmt, path in paths.items():
        if not path.exists():
            started = time.perf_counter()
            write = sample.write_csv if fmt == "csv" else sample.write_xlsx
            write(path, sample.MEMBER_HEADERS, sample.members(villages, n, seed=2026))
            print(f"  generated {path.name} in {time.perf_counter() - started:.1f} s", flush=True)
    return paths


def _timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _import(url: str, path: Path, settings: Settings) -> dict[str, Any]:
    if url.startswith("sqlite"):
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
    prepare_database(url)
    db = Database(url)
    session = bind(db.session(write=True), Scope.everywhere())
    try:
        outcome, wall, cpu = _timed(
            lambda: service.import_file(
                session, "members", actor=Principal.system(), source=Source.of_path(path), settings=settings
            )
        )
    finally:
        session.close()
        db.dispose()
    print(
        f"  {url.split(':')[0]:<10} {path.suffix:<5} {outcome.counts['members']:>9,} members in {wall:7.1f} s "
        f"({outcome.counts['members'] / wall:9,.0f}/s; this process {cpu:6.1f} s CPU)",
        flush=True,
    )
    return {
        "seconds": round(wall, 2),
        "cpu_seconds": round(cpu, 2),
        "members_per_second": round(outcome.counts["members"] / wall),
        "households": outcome.counts["households"],
    }


def _postgresql(server: str, files: dict[str, Path], settings: dict, work: Path) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for fmt in ("csv", "xlsx"):
        url = _new_database(server, f"zhucun_bench_import_{fmt}")
        results[f"postgresql_{fmt}"] = _import(url, files[fmt], Settings(database_url=url, **settings))
        if fmt == "csv":
            results["baseline"] = _raw_copy(server, url)
    base = results["baseline"]["seconds"]
    for fmt in ("csv", "xlsx"):
        results[f"postgresql_{fmt}"]["ratio_to_raw_copy"] = round(results[f"postgresql_{fmt}"]["seconds"] / base, 2)
    return results


def _new_database(server: str, name: str) -> str:
    url = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "")


def _raw_copy(server: str, imported: str) -> dict[str, Any]:
    """Binary COPY of the imported members, as stored, into the same table of a fresh database
    (its households and batch copied first, untimed, for the foreign keys)."""
    source = _dump(imported, ("import_batches", "households", "members"))
    target = _new_database(server, "zhucun_bench_import_raw")
    prepare_database(target)
    with psycopg.connect(target) as connection:
        _load(connection, "import_batches", source["import_batches"])
        _load(connection, "households", source["households"])
        connection.commit()
        _, wall, _ = _timed(lambda: _load(connection, "members", source["members"]))
        connection.commit()
    print(f"  raw binary COPY of the same member rows: {wall:7.1f} s", flush=True)
    return {"seconds": round(wall, 2), "bytes": len(source["members"])}


def _dump(url: str, tables: tuple[str, ...]) -> dict[str, bytes]:
    dumped = {}
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        for table in tables:
            buffer = io.BytesIO()
            with cursor.copy(f"COPY (SELECT * FROM {table} ORDER BY id) TO STDOUT (FORMAT BINARY)") as copy:
                for chunk in copy:
                    buffer.write(chunk)
            dumped[table] = buffer.getvalue()
    return dumped


def _load(connection: psycopg.Connection, table: str, data: bytes) -> None:
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} FROM STDIN (FORMAT BINARY)") as copy:
        view = memoryview(data)
        for start in range(0, len(data), 1 << 20):
            copy.write(view[start : start + (1 << 20)])


def _readers(work: Path, rows: int) -> dict[str, Any]:
    """Reading a workbook row by row: python-calamine against openpyxl's read-only mode."""
    import openpyxl
    import python_calamine

    villages = [row["code"] for row in county.generate(1)[0] if row["level"] == "village"]
    path = work / f"reader_{rows}.xlsx"
    if not path.exists():
        sample.write_xlsx(path, sample.MEMBER_HEADERS, sample.members(villages, rows, seed=7))

    def with_calamine() -> int:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
            return sum(1 for _ in book.get_sheet_by_index(0).iter_rows())

    def with_openpyxl() -> int:
        book = openpyxl.load_workbook(path, read_only=True)
        try:
            return sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
        finally:
            book.close()

    _, fast, _ = _timed(with_calamine)
    _, slow, _ = _timed(with_openpyxl)
    print(
        f"  reading {rows:,} rows: calamine {fast:.1f} s, openpyxl read-only {slow:.1f} s ({slow / fast:.1f}x)",
        flush=True,
    )
    return {
        "rows": rows,
        "calamine_seconds": round(fast, 2),
        "openpyxl_seconds": round(slow, 2),
        "speed_up": round(slow / fast, 1),
    }


def _print(results: dict[str, Any]) -> None:
    for fmt in ("csv", "xlsx"):
        key = f"postgresql_{fmt}"
        if key in results:
            print(
                f"  PostgreSQL from {fmt}: {results[key]['members_per_second']:,} members/s, "
                f"{results[key]['ratio_to_raw_copy']}x the raw binary COPY",
                flush=True,
            )
