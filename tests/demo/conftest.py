"""Generated databases for the demo tests: each one fresh, migrated, on the backend under test."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Databases, make_settings
from zhucun.core.db import Database
from zhucun.core.protect import Protector
from zhucun.core.scope import Scope, bind
from zhucun.demo.generator import Generation, generate


@dataclass
class Generated:
    db: Database
    generation: Generation
    protector: Protector
    peak_memory: int | None = None  # bytes, when measured

    @property
    def truth(self) -> dict[str, Any]:
        return self.generation.truth()

    def rows(self, sql: str, **params: Any) -> list[tuple]:
        from sqlalchemy import text

        with self.db.engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params)]


@pytest.fixture(scope="session")
def generate_into(databases: Databases, key_dir: Path) -> Iterator[Callable[..., Generated]]:
    """``generate_into("label", seed=…, villages=…, households=…)``: a fresh database with
    a generation in it."""
    made: list[Database] = []

    def make(label: str, *, measure_memory: bool = False, **options: Any) -> Generated:
        url = databases.migrated(label)
        db = Database(url)
        made.append(db)
        protector = Protector.of(make_settings(url, key_dir))
        with db.begin() as session:
            bind(session, Scope.everywhere())
            if measure_memory:
                tracemalloc.start()
            try:
                generation = generate(session, protector=protector, **options)
                peak = tracemalloc.get_traced_memory()[1] if measure_memory else None
            finally:
                if measure_memory:
                    tracemalloc.stop()
        return Generated(db, generation, protector, peak)

    yield make
    for db in made:
        db.dispose()


# One county of 30 villages: big enough for the shares to hold, small enough to be quick.
SIZES = {"seed": 3, "villages": 30, "households": 5000}


@pytest.fixture(scope="session")
def county(generate_into: Callable[..., Generated]) -> Generated:
    return generate_into("demo_county", **SIZES)
