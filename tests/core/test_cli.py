"""The ``zhucun`` command on committed databases: init, db upgrade, user add and demo."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlalchemy import inspect, select

from tests.factories.cli import count_rows, scalar
from zhucun.app import create_app
from zhucun.config import Settings
from zhucun.core.codes import ancestors
from zhucun.core.db import make_engine
from zhucun.core.migrate import alembic_config, current_revision
from zhucun.demo import county
from zhucun.divisions.models import Division, VillageGroup
from zhucun.divisions.rules import structure_problem

PASSWORD = "Mima-Qingshan-2026x"
NBS_FURONG = Path(__file__).parent.parent / "divisions" / "data" / "nbs_430102_furong.csv"
HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def totals(url: str) -> tuple[int, int, int]:
    return count_rows(url, "users"), count_rows(url, "audit_entries"), count_rows(url, "divisions")


# --- init and db upgrade -----------------------------------------------------------------------


def test_init_creates_and_migrates_a_fresh_database_and_its_administrator(cli, fresh_database):
    url = fresh_database("init", migrate=False)
    result = cli(url)("init", "--admin", "root", "--password", PASSWORD)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "管理员 root 已创建。"
    assert current_revision(url) == HEAD
    assert (
        scalar(
            url,
            "SELECT role FROM role_grants JOIN users ON users.id = role_grants.user_id "
            "WHERE username = 'root' AND role_grants.division_code IS NULL",
        )
        == "admin"
    )
    assert count_rows(url, "audit_entries", "WHERE action = 'account:user:created'") == 1
    # The first administrator logs in with the password given, without a forced change.
    app = create_app(Settings(database_url=url))
    with TestClient(app) as client:
        response = client.post("/api/v1/auth/token", data={"username": "root", "password": PASSWORD})
        assert response.status_code == 200, response.text
    app.state.db.dispose()


def test_a_second_init_changes_nothing(cli, fresh_database):
    url = fresh_database("init", migrate=False)
    run = cli(url)
    assert run("init", "--admin", "root", "--password", PASSWORD).exit_code == 0
    before = totals(url), scalar(url, "SELECT password_hash FROM users WHERE username = 'root'")
    again = run("init", "--admin", "root", "--password", "Other2026pw")
    assert again.exit_code == 0
    assert again.stdout.strip() == "管理员 root 已存在，未做任何更改。"
    other = run("init", "--admin", "boss", "--password", "Other2026pw", lang="en")
    assert other.exit_code == 0
    assert other.stdout.strip() == "The administrator root already exists; nothing was changed."
    assert (totals(url), scalar(url, "SELECT password_hash FROM users WHERE username = 'root'")) == before
    assert count_rows(url, "users", "WHERE username = 'boss'") == 0


def test_init_refuses_a_weak_password_with_a_clear_message(cli, fresh_database):
    url = fresh_database("init", migrate=False)
    result = cli(url)("init", "--admin", "root", "--password", "root1234")
    assert result.exit_code == 1
    assert result.stderr.strip() == "密码不能包含用户名。"
    assert count_rows(url, "users") == 0


def test_db_upgrade_migrates_an_empty_database_and_is_idempotent(cli, fresh_database):
    url = fresh_database("upgrade", migrate=False)
    run = cli(url)
    first = run("db", "upgrade")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == f"数据库已升级至版本 {HEAD}。"
    assert {"divisions", "users", "audit_entries", "audit_heads"} <= set(make_table_names(url))
    assert run("db", "upgrade", lang="en").stdout.strip() == f"The database is at revision {HEAD}."
    assert run("db", "current").stdout.strip() == HEAD


def make_table_names(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


# --- user add ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_url(fresh_database, cli) -> str:
    """A database after ``zhucun init`` and ``zhucun demo --seed 1``."""
    url = fresh_database("accounts", migrate=False)
    run = cli(url)
    assert run("init", "--admin", "root", "--password", PASSWORD).exit_code == 0
    assert run("demo", "--seed", "1").exit_code == 0
    return url


def test_user_add_creates_an_account_that_must_change_its_password(cli, demo_url, tmp_path):
    result = cli(demo_url)(
        "user",
        "add",
        "lisi",
        "--role",
        "township",
        "--scope",
        "522799102000",
        "--password",
        "Hunan2026pw",
        "--display-name",
        "李四",
    )
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"账号 lisi 已创建（编号 \d+）。", result.stdout.strip())
    assert (
        scalar(
            demo_url,
            "SELECT role_grants.division_code FROM role_grants JOIN users ON users.id = user_id "
            "WHERE username = 'lisi' AND role = 'township'",
        )
        == "522799102000"
    )
    app = create_app(Settings(database_url=demo_url, key_dir=tmp_path))
    with TestClient(app) as client:
        response = client.post("/api/v1/auth/token", data={"username": "lisi", "password": "Hunan2026pw"})
        assert (response.status_code, response.json()["code"]) == (403, "password_change_required")
        changed = client.post(
            "/api/v1/auth/password",
            json={"username": "lisi", "old_password": "Hunan2026pw", "new_password": "Hunan2027pw"},
        )
        assert changed.status_code == 204, changed.text
        assert (
            client.post("/api/v1/auth/token", data={"username": "lisi", "password": "Hunan2027pw"}).status_code == 200
        )
    app.state.db.dispose()


@pytest.mark.parametrize(
    ("args", "zh", "en"),
    [
        pytest.param(
            ("wangwu", "--role", "township", "--scope", "522799199000", "--password", "Wang2026pw"),
            "区划 522799199000 不存在或不在您的管辖范围内。",
            "Division 522799199000 does not exist or is outside your area.",
            id="unknown scope code",
        ),
        pytest.param(
            ("wangwu", "--role", "township", "--scope", "522799000000", "--password", "Wang2026pw"),
            "角色“乡镇”只能在乡镇级授予：请选择该级别的区划。",
            "The role “Township” is granted at the level of township: pick a division of that level.",
            id="role at the wrong level",
        ),
        pytest.param(
            ("wangwu", "--role", "first_secretary", "--password", "Wang2026pw"),
            "角色“驻村第一书记”只能在村级授予：请选择该级别的区划。",
            "The role “First secretary” is granted at the level of village: pick a division of that level.",
            id="village role without a scope",
        ),
        pytest.param(
            ("wangwu", "--role", "township", "--scope", "522799102000", "--password", "Wang26"),
            "密码至少需要 8 个字符。",
            "The password must have at least 8 characters.",
            id="short password",
        ),
        pytest.param(
            ("wangwu", "--role", "township", "--scope", "522799102000", "--password", "Password1"),
            "该密码太容易被猜中（强度 0/4，至少需要 3）。请使用更长的密码，例如几个互不相关的词再加上数字或符号。",
            "This password is too easy to guess (strength 0 of 4, 3 needed). "
            "Use a longer one, for example several unrelated words with digits or signs.",
            id="guessable",
        ),
        pytest.param(
            ("wangwu", "--role", "township", "--scope", "522799102000", "--password", "Wangwu2026"),
            "密码不能包含用户名。",
            "The password must not contain the user name.",
            id="name in password",
        ),
        pytest.param(
            ("zhen", "--role", "township", "--scope", "522799102000", "--password", "Wang2026pw"),
            "用户名 zhen 已被使用。",
            "The user name zhen is taken.",
            id="duplicate name",
        ),
        pytest.param(
            ("王五", "--role", "township", "--scope", "522799102000", "--password", "Wang2026pw"),
            "用户名由 3 至 64 位字母",
            "A user name has 3 to 64 letters",
            id="bad user name",
        ),
    ],
)
def test_user_add_errors_exit_1_with_a_clear_message(cli, demo_url, args, zh, en):
    run = cli(demo_url)
    before = totals(demo_url)
    for environment, expected in (({}, zh), ({"ZHUCUN_LANG": "en"}, en), ({"LANG": "en_US.UTF-8"}, en)):
        result = run("user", "add", *args, env=environment)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith(expected), (environment, result.stderr)
        assert "field" not in result.stderr and "字段" not in result.stderr
    assert totals(demo_url) == before


def test_an_unknown_role_is_refused_by_the_option_itself(cli, demo_url):
    result = cli(demo_url)("user", "add", "wangwu", "--role", "chief", "--password", "Wang2026pw")
    assert result.exit_code == 2
    assert "chief" in result.stderr


# --- demo --------------------------------------------------------------------------------------

CHINESE = re.compile(r"^[\u4e00-\u9fff（）]+$")
SUFFIXES = {
    "province": ("省",),
    "prefecture": ("州",),
    "county": ("县",),
    "township": ("镇", "乡", "街道"),
    "village": ("村", "社区"),
}


def test_demo_loads_a_county_of_chinese_names_and_valid_codes(cli, demo_url):
    engine = make_engine(demo_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(Division.code, Division.name, Division.level, Division.parent_code).where(
                Division.code.startswith("52")
            )
        ).all()
    engine.dispose()
    townships = [r for r in rows if r.level == "township"]
    villages = [r for r in rows if r.level == "village"]
    assert 12 <= len(townships) <= 18
    assert 150 <= len(villages) <= 250
    for code, name, level, parent in rows:
        assert structure_problem(code) is None, code
        assert CHINESE.match(name) and name.endswith(SUFFIXES[level]), name
        assert parent == (ancestors(code)[0] if ancestors(code) else None), code
    assert len({r.name for r in villages}) == len(villages)


def test_demo_is_deterministic_by_seed(demo_url):
    rows, groups = county.generate(1)
    engine = make_engine(demo_url)
    with engine.connect() as connection:
        stored = connection.execute(
            select(Division.code, Division.name, Division.latitude, Division.is_key_village)
            .where(Division.code.startswith("522799"))
            .order_by(Division.code)
        ).all()
        stored_groups = connection.execute(
            select(VillageGroup.village_code, VillageGroup.number, VillageGroup.name).order_by(
                VillageGroup.village_code, VillageGroup.number
            )
        ).all()
    engine.dispose()
    expected = sorted((r["code"], r["name"], r.get("latitude"), r.get("is_key_village", False)) for r in rows[2:])
    assert [tuple(r) for r in stored] == expected
    assert [tuple(g) for g in stored_groups] == sorted((g["village_code"], g["number"], g["name"]) for g in groups)
    assert county.generate(1) == (rows, groups)
    assert county.generate(2)[0] != rows


def test_demo_if_empty_on_a_loaded_database_does_nothing(cli, demo_url):
    before = totals(demo_url)
    result = cli(demo_url)("demo", "--if-empty")
    assert result.exit_code == 0
    assert result.stdout.strip() == "数据库中已有数据，未载入演示数据。"
    assert cli(demo_url)("demo", "--seed", "2", lang="en").stdout.strip() == (
        "The database already holds data; the demo was not loaded."
    )
    assert totals(demo_url) == before


def test_demo_if_empty_leaves_other_divisions_alone(cli, fresh_database):
    url = fresh_database("demo")
    run = cli(url)
    assert run("divisions", "import", str(NBS_FURONG)).exit_code == 0
    before = totals(url)
    result = run("demo", "--if-empty")
    assert (result.exit_code, totals(url)) == (0, before)


def test_a_database_that_is_not_migrated_is_said_plainly(cli, tmp_path):
    run = cli(f"sqlite:///{tmp_path / 'empty.db'}")
    for command in (("user", "list"), ("audit", "verify")):
        result = run(*command, lang="en")
        assert result.exit_code == 1
        assert "Run “zhucun db upgrade” first" in result.stderr and "Traceback" not in result.output
    assert "zhucun db upgrade" in run("user", "list").stderr
