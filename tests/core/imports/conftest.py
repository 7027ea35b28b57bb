"""Fresh databases for the tests that need real commits: other processes and connections
(the command line, concurrent imports, a killed import) and the raw database file."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.factories.imports import prepare_database
from zhucun.config import Settings, get_settings
from zhucun.core.db import Database


@dataclass
class Fresh:
    url: str
    villages: list[str]
    settings: Settings

    def database(self) -> Database:
        return Database(self.url)


@pytest.fixture
def fresh(databases, key_dir: Path, request) -> Fresh:
    label = "imp_" + request.node.name.split("[")[0][-30:].strip("_")
    url = databases.new(label)
    return Fresh(url, prepare_database(url), Settings(database_url=url, key_dir=key_dir, max_upload_bytes=1 << 30))


@pytest.fixture
def cli_env(fresh: Fresh, key_dir: Path, monkeypatch) -> Iterator[Fresh]:
    """The command line pointed at the fresh database, in English."""
    monkeypatch.setenv("ZHUCUN_DATABASE_URL", fresh.url)
    monkeypatch.setenv("ZHUCUN_KEY_DIR", str(key_dir))
    monkeypatch.setenv("ZHUCUN_LANG", "en")
    get_settings.cache_clear()
    yield fresh
    get_settings.cache_clear()
