"""A generated register of its own (two dozen villages) for the measures computed from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Databases, make_settings
from zhucun.core.db import Database
from zhucun.core.protect import Protector
from zhucun.core.scope import Scope, bind
from zhucun.demo.generator import generate

SIZES = {"seed": 11, "villages": 24, "households": 3000}


@pytest.fixture(scope="package")
def register_db(databases: Databases, key_dir: Path):
    url = databases.migrated("measures")
    db = Database(url)
    with db.begin() as session:
        bind(session, Scope.everywhere())
        generate(session, protector=Protector.of(make_settings(url, key_dir)), **SIZES)
    yield db
    db.dispose()
