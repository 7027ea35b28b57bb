"""How fast ``zhucun demo`` generates registers, against plainly loading the same rows.

    python -m bench.run --only generator [--quick]

County scale (50,000 households, about 160,000 members) into SQLite and PostgreSQL, and,
unless quick, about 10 million members into PostgreSQL (``bench.datasets.national``, kept
for later benchmarks). The baseline, measured in the same run, loads the rows the
generator wrote into a fresh database of the same schema with nothing else to do: binary
COPY on PostgreSQL (streamed from the generated database), executemany on SQLite, both
with the indexes built afterwards as the generator does. The ratio is the cost of making
the data (drawing, names, ID numbers, encryption) on top of writing it.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench import datasets
from zhucun.core.crypto import Keyring
from zhucun.core.db import Database
from zhucun.core.migrate import upgrade
from zhucun.core.protect import Protector
from zhucun.core.scope import Scope, bind
from zhucun.demo.generator import Generation, generate
from zhucun.demo.writer import TABLES, deferred_indexes

REFERENCE = ("divisions", "village_groups", "units", "unit_pairings")
REGISTRY = tuple(t.name for t in TABLES)


def run(env) -> dict:
    households = 5_000 if env.quick else 50_000
    keys = Protector(Keyring.load_or_create(tempfile.mkdtemp(dir=env.workdir)))
    results: dict = {"households": households, "sqlite": sqlite_county(env.workdir, households, keys)}
    if env.pg_url:
        results["postgresql"] = postgresql_county(env.pg_url, households, keys)
        if not env.quick:
            results["postgresql_national"] = postgresql_national(env.pg_url)
    return results


def sqlite_county(workdir: Path, households: int, keys: Protector) -> dict:
    source, target = f"sqlite:///{workdir / 'generated.db'}", f"sqlite:///{workdir / 'baseline.db'}"
    generation = _generate(source, households, keys)
    upgrade(target)
    db = Database(target)
    try:
        with sqlite3.connect(workdir / "generated.db") as raw:
            rows = {t: raw.execute(f'SELECT * FROM "{t}"').fetchall() for t in REFERENCE + REGISTRY}
        with db.begin() as session:
            for table in REFERENCE:
                _insert(session, table, rows[table])
            started = time.perf_counter()
            with deferred_indexes(session):
                for table in REGISTRY:
                    _insert(session, table, rows[table])
            baseline = time.perf_counter() - started
    finally:
        db.dispose()
    return _report("SQLite, county", generation, baseline, "executemany")


def postgresql_county(pg_url: str, households: int, keys: Protector) -> dict:
    source, target = _fresh(pg_url, "zhucun_bench_gen"), _fresh(pg_url, "zhucun_bench_base")
    try:
        generation = _generate(source, households, keys)
        baseline = _copy_all(source, target)
    finally:
        datasets.drop(pg_url, source)
        datasets.drop(pg_url, target)
    return _report("PostgreSQL, county", generation, baseline, "binary COPY")


def postgresql_national(pg_url: str, members: int = 10_000_000) -> dict:
    def progress(spec, counties, rows, seconds):
        if (spec.index + 1) % 10 == 0 or spec.index + 1 == counties:
            print(f"  county {spec.index + 1}/{counties}: {rows['members']:,} members in {seconds:,.0f} s", flush=True)

    built = datasets.dataset(pg_url, members, rebuild=True, progress=progress)
    target = _fresh(pg_url, "zhucun_bench_national_base")
    try:
        baseline = _copy_all(built.url, target)
    finally:
        datasets.drop(pg_url, target)
    return {
        "database": make_url(built.url).database,
        **_report("PostgreSQL, national", built.built, baseline, "binary COPY"),
    }


def _generate(url: str, households: int, keys: Protector) -> Generation:
    upgrade(url)
    db = Database(url)
    try:
        with db.begin() as session:
            bind(session, Scope.everywhere())
            return generate(
                session,
                protector=keys,
                seed=1,
                households=households,
                villages=None if households == 50_000 else max(10, households // 250),
            )
    finally:
        db.dispose()


def _copy_all(source: str, target: str) -> float:
    """Stream every generated row from ``source`` into a fresh ``target`` by binary COPY;
    returns the seconds the registry tables took (indexes and statistics included)."""
    upgrade(target)
    src, dst = Database(source), Database(target)
    try:
        with src.engine.connect() as reader, dst.begin() as session:
            out = reader.connection.driver_connection
            into = session.connection().connection.driver_connection
            for table in REFERENCE:
                _stream(out, into, table)
            started = time.perf_counter()
            with deferred_indexes(session):
                for table in REGISTRY:
                    _stream(out, into, table)
            for table in REGISTRY:
                session.execute(text(f'ANALYZE "{table}"'))
            return time.perf_counter() - started
    finally:
        src.dispose()
        dst.dispose()


def _stream(out, into, table: str) -> None:
    with (
        out.cursor() as reader,
        into.cursor() as writer,
        reader.copy(f'COPY "{table}" TO STDOUT (FORMAT BINARY)') as source,
        writer.copy(f'COPY "{table}" FROM STDIN (FORMAT BINARY)') as target,
    ):
        for block in source:
            target.write(block)


def _insert(session, table: str, rows: list[tuple]) -> None:
    if rows:
        marks = ", ".join("?" for _ in rows[0])
        session.connection().exec_driver_sql(f'INSERT INTO "{table}" VALUES ({marks})', rows)


def _fresh(pg_url: str, name: str) -> str:
    server = make_url(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


def _report(label: str, generation: Generation | None, baseline: float, how: str) -> dict:
    if generation is None:
        return {"baseline_s": round(baseline, 2)}
    rows = sum(generation.rows.values())
    print(f"{label}: {generation.households:,} households, {generation.members:,} members, {rows:,} rows")
    print(
        f"  generator  {generation.seconds:8.1f} s  {generation.rate():10,.0f} households/s"
        f"  {generation.rate('members'):10,.0f} members/s"
        f"  (draw {generation.timings['draw']:.1f} s, write {generation.timings['write']:.1f} s,"
        f" indexes {generation.timings['indexes']:.1f} s)"
    )
    print(
        f"  baseline   {baseline:8.1f} s  {generation.households / baseline:10,.0f} households/s"
        f"  {generation.members / baseline:10,.0f} members/s  ({how} of the same rows)"
    )
    print(f"  ratio generator / baseline {generation.seconds / baseline:.1f} x")
    return {
        "households": generation.households,
        "members": generation.members,
        "rows": rows,
        "generator_s": round(generation.seconds, 2),
        "baseline_s": round(baseline, 2),
        "households_per_s": round(generation.rate()),
        "members_per_s": round(generation.rate("members")),
        "baseline_members_per_s": round(generation.members / baseline),
        "ratio": round(generation.seconds / baseline, 2),
        "timings_s": {k: round(v, 2) for k, v in generation.timings.items()},
    }
