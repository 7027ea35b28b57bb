"""``zhucun demo`` at the command line: options, what it prints, the truth file, --if-empty."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from tests.conftest import Databases
from zhucun import cli
from zhucun.config import get_settings
from zhucun.core.db import Database
from zhucun.demo.accounts import PERSONAS


@pytest.fixture
def fresh(databases: Databases, key_dir: Path, monkeypatch) -> str:
    url = databases.migrated("demo_cli")
    monkeypatch.setenv("ZHUCUN_DATABASE_URL", url)
    monkeypatch.setenv("ZHUCUN_KEY_DIR", str(key_dir))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def demo(*args: str):
    cli._mount()
    # The command takes its language from the environment, as a clerk's shell sets it.
    return CliRunner().invoke(cli.app, ["demo", *args], env={"ZHUCUN_LANG": "en"})


def test_demo_generates_prints_and_writes_the_truth(fresh: str, tmp_path: Path) -> None:
    truth = tmp_path / "truth.json"
    result = demo("--seed", "4", "--villages", "12", "--households", "900", "--truth", str(truth))
    assert result.exit_code == 0, result.output
    assert "Demo county loaded: " in result.output and "12 villages" in result.output
    assert "900 households with" in result.output and "households/s" in result.output
    content = json.loads(truth.read_text(encoding="utf-8"))
    assert content["seed"] == 4 and content["households"] == 900 and len(content["planted"]) == 1
    db = Database(fresh)
    try:
        with db.engine.connect() as connection:
            users = {u for (u,) in connection.execute(text("SELECT username FROM users"))}
            (households,) = connection.execute(text("SELECT count(*) FROM households")).one()
            grants = dict(
                connection.execute(
                    text("SELECT u.username, g.division_code FROM users u JOIN role_grants g ON g.user_id = u.id")
                ).all()
            )
            (key,) = connection.execute(
                text("SELECT is_key_village FROM divisions WHERE code = :c"), {"c": grants["shuji"]}
            ).one()
            # The demo has been swept once, so home pages count the signals it stored.
            (tallied, swept_villages) = connection.execute(
                text("SELECT count(DISTINCT as_of), count(*) FROM signal_tallies")
            ).one()
            (villages,) = connection.execute(text("SELECT count(*) FROM divisions WHERE level = 'village'")).one()
            # The team of the first secretary's village carries the personas' surnames (张书记, 刘队员).
            team = connection.execute(
                text(
                    "SELECT p.role, c.name FROM cadre_postings p JOIN cadres c"
                    " ON c.county_code = p.county_code AND c.id = p.cadre_id"
                    " WHERE p.village_code = :v AND p.end_date IS NULL"
                ),
                {"v": grants["shuji"]},
            ).all()
    finally:
        db.dispose()
    assert users >= {p.username for p in PERSONAS} and households == 900 and key
    assert tallied == 1 and swept_villages == villages == 12
    assert [name[0] for role, name in team if role == "1"] == ["张"]
    assert "刘" in {name[0] for role, name in team if role == "3"}
    again = demo("--if-empty")
    assert again.exit_code == 0 and "already holds data" in again.output


def test_no_households_loads_divisions_and_accounts_only(fresh: str) -> None:
    result = demo("--households", "0")
    assert result.exit_code == 0, result.output
    assert "households/s" not in result.output
