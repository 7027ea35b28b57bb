"""Databases that benchmarks share: generated once on a PostgreSQL server, then reused.

    from bench.datasets import national
    url = national(env.pg_url)                 # about 10 million members, built on first use
    url = national(env.pg_url, members=500_000)

A dataset is a database of its own on the server, named after its size and seed, holding a
generated register (``zhucun.demo.generator``) committed in one transaction: if it holds
members it is complete. Its keys live in ``key_dir`` (the lookup key is needed to search
by ID number).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from zhucun.core.crypto import Keyring
from zhucun.core.db import Database
from zhucun.core.migrate import upgrade
from zhucun.core.protect import Protector
from zhucun.core.scope import Scope, bind
from zhucun.demo.generator import Generation, Progress, generate

MEMBERS_PER_HOUSEHOLD = 3.27  # demo.params.SIZE_SHARES
HOUSEHOLDS_PER_VILLAGE = 250
KEY_DIR = Path(tempfile.gettempdir()) / "zhucun-bench-keys"


@dataclass(frozen=True)
class Dataset:
    url: str
    built: Generation | None  # None when an earlier run had built it


def national(
    pg_url: str, members: int = 10_000_000, *, seed: int = 1, key_dir: Path = KEY_DIR, rebuild: bool = False
) -> str:
    """The URL of a database holding about ``members`` generated members (counties of the
    demo's size, Guizhou first, then the other provinces), built if missing."""
    return dataset(pg_url, members, seed=seed, key_dir=key_dir, rebuild=rebuild).url


def dataset(
    pg_url: str,
    members: int,
    *,
    seed: int = 1,
    key_dir: Path = KEY_DIR,
    rebuild: bool = False,
    progress: Progress | None = None,
) -> Dataset:
    households = max(1, round(members / MEMBERS_PER_HOUSEHOLD))
    villages = max(1, round(households / HOUSEHOLDS_PER_VILLAGE))
    name = f"zhucun_bench_{members}_{seed}"
    server = make_url(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    url = server.set(database=name).render_as_string(hide_password=False)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            exists = connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if exists and not rebuild and _complete(url):
                return Dataset(url, None)
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    _on_every_node(server, name)
    upgrade(url)
    db = Database(url)
    try:
        with db.begin() as session:
            bind(session, Scope.everywhere())
            built = generate(
                session,
                protector=Protector(Keyring.load_or_create(key_dir)),
                seed=seed,
                villages=villages,
                households=households,
                progress=progress,
            )
    finally:
        db.dispose()
    return Dataset(url, built)


def drop(pg_url: str, url: str) -> None:
    """Drop a dataset's database (a benchmark's own scratch copy, say)."""
    server = make_url(pg_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    finally:
        admin.dispose()


def _complete(url: str) -> bool:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return bool(
                connection.scalar(
                    text("SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_name = 'members')")
                )
                and connection.scalar(text("SELECT EXISTS (SELECT 1 FROM members)"))
            )
    finally:
        engine.dispose()


def _on_every_node(server: Any, name: str) -> None:
    """On a Citus coordinator, the database is made on every worker too, with the extension,
    and the workers registered (as the tests do), so that the migrations distribute."""
    from tests.citus_nodes import Cluster

    cluster = Cluster.detect(server)
    if cluster is not None:
        cluster.drop(name)
        cluster.create(name)
