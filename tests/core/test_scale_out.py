"""The scale-out rule (zhucun.core.db): every table is distributed by county code, or marked a
reference or local table; foreign keys stay within what Citus can enforce; and every table a
migration creates is placed by that migration, with the kind its model declares."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import event

from tests.conftest import BACKEND
from zhucun.core.db import COUNTY_COLUMN, DISTRIBUTED, LOCAL, REFERENCE, distribution, make_engine
from zhucun.core.migrate import MIGRATIONS, upgrade
from zhucun.migrations import citus
from zhucun.models import metadata

TABLES = sorted(metadata.tables.values(), key=lambda t: t.name)
VERSIONS = sorted((MIGRATIONS / "versions").glob("*.py"))


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_every_table_is_distributed_or_marked(table):
    declared = table.info.get("distribution")
    assert declared in (None, REFERENCE, LOCAL), f"{table.name}: unknown placement {declared!r}"
    assert distribution(table) in (DISTRIBUTED, REFERENCE, LOCAL), (
        f"{table.name}: its primary key must start with {COUNTY_COLUMN}, or it must be marked "
        "info={'distribution': 'reference' | 'local'}"
    )


def test_distributed_tables_lead_their_primary_key_with_the_county():
    for table in TABLES:
        if distribution(table) == DISTRIBUTED:
            assert next(iter(table.primary_key.columns)).name == COUNTY_COLUMN


def foreign_keys(kind: str):
    for table in TABLES:
        if distribution(table) == kind:
            for key in table.foreign_key_constraints:
                yield table, key, distribution(key.referred_table)


def test_foreign_keys_between_distributed_tables_include_the_county():
    for table, key, target in foreign_keys(DISTRIBUTED):
        if target == DISTRIBUTED:
            pairs = [(e.parent.name, e.column.name) for e in key.elements]
            assert (COUNTY_COLUMN, COUNTY_COLUMN) in pairs, f"{table.name} → {key.referred_table.name}"


def test_distributed_tables_do_not_point_at_local_tables():
    for table, key, target in foreign_keys(DISTRIBUTED):
        assert target != LOCAL, f"{table.name} → {key.referred_table.name}"


def test_reference_tables_do_not_point_at_distributed_tables():
    for table, key, target in foreign_keys(REFERENCE):
        assert target != DISTRIBUTED, f"{table.name} → {key.referred_table.name}"


# --- the migrations ------------------------------------------------------------------------------


def _strings(node: ast.AST) -> list[str]:
    assert isinstance(node, (ast.List, ast.Tuple)), ast.dump(node)
    return [element.value for element in node.elts if isinstance(element, ast.Constant)]


def placed_by(path: Path) -> tuple[set[str], dict[str, str]]:
    """The tables a migration's upgrade() creates, and how its citus.distribute() calls place them."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upgrade_fn = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade")
    created, placed = set(), {}
    for node in ast.walk(upgrade_fn):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value.id if isinstance(node.func.value, ast.Name) else None
        if (owner, node.func.attr) in (("op", "create_table"), ("citus", "create_table")):
            created.add(node.args[0].value)
        elif (owner, node.func.attr) == ("citus", "distribute"):
            for keyword in node.keywords:
                for name in _strings(keyword.value):
                    assert name not in placed, f"{path.name} places {name} twice"
                    placed[name] = DISTRIBUTED if keyword.arg == "distributed" else keyword.arg
    return created, placed


@pytest.mark.parametrize("path", VERSIONS, ids=[p.name for p in VERSIONS])
def test_each_migration_places_the_tables_it_creates(path):
    created, placed = placed_by(path)
    assert set(placed) <= created, f"{path.name} places tables it does not create: {set(placed) - created}"
    for name in created:
        expected = distribution(metadata.tables[name])
        if expected == LOCAL:
            assert name not in placed, f"{name} is local: it stays on the coordinator"
        else:
            assert placed.get(name) == expected, (
                f"{path.name} creates {name} ({expected}) but places it {placed.get(name)}"
            )


# --- the order of the DDL on Citus, recorded on a plain PostgreSQL --------------------------------
# Citus turns a table created with a foreign key to a reference table into a "Citus local"
# table, and then refuses to distribute the tables that point at it. Stand-ins for Citus's two
# functions let the real migrations run with Citus "detected" on a plain PostgreSQL, and the
# statements they send are recorded in order.

FAKE_CITUS = (
    "CREATE FUNCTION create_reference_table(regclass) RETURNS void LANGUAGE sql AS ''",
    "CREATE FUNCTION create_distributed_table(regclass, text, colocate_with text) RETURNS void LANGUAGE sql AS ''",
)
ADD_FOREIGN_KEY = re.compile(r'ALTER TABLE "?(\w+)"? ADD CONSTRAINT \S+ FOREIGN KEY.*REFERENCES "?(\w+)"?', re.S)


@pytest.fixture
def citus_ddl(monkeypatch, fresh_database) -> list[tuple[str, dict]]:
    if BACKEND != "postgresql":
        pytest.skip("records PostgreSQL DDL")
    url = fresh_database("citusddl", migrate=False)
    engine = make_engine(url)
    with engine.begin() as connection:
        for statement in FAKE_CITUS:
            connection.exec_driver_sql(statement)
    sent: list[tuple[str, dict]] = []
    event.listen(engine, "before_cursor_execute", lambda _c, _cur, sql, params, *_: sent.append((sql, params)))
    monkeypatch.setattr(citus, "enabled", lambda: True)
    try:
        upgrade(url, engine=engine)
    finally:
        engine.dispose()
    return sent


def test_an_upgrade_with_citus_places_every_table_once(citus_ddl):
    placed: dict[str, str] = {}
    for sql, params in citus_ddl:
        if "create_reference_table" in sql or "create_distributed_table" in sql:
            assert params["t"] not in placed, f"{params['t']} placed twice"
            placed[params["t"]] = REFERENCE if "create_reference_table" in sql else DISTRIBUTED
            if placed[params["t"]] == DISTRIBUTED:
                assert params["c"] == COUNTY_COLUMN
                anchor = "default" if params["t"] == citus.COLOCATION_ANCHOR else citus.COLOCATION_ANCHOR
                assert params["a"] == anchor, f"{params['t']} is co-located with {params['a']}"
    expected = {t.name: distribution(t) for t in TABLES}
    assert placed == {name: kind for name, kind in expected.items() if kind != LOCAL}


def test_an_upgrade_with_citus_adds_foreign_keys_only_after_placing_both_tables(citus_ddl):
    placed_at: dict[str, int] = {}
    keys = []
    for index, (sql, params) in enumerate(citus_ddl):
        if "create_reference_table" in sql or "create_distributed_table" in sql:
            placed_at[params["t"]] = index
        elif sql.lstrip().upper().startswith("CREATE TABLE"):
            assert "FOREIGN KEY" not in sql.upper(), f"created with a foreign key: {sql}"
        elif match := ADD_FOREIGN_KEY.search(sql):
            keys.append((index, match.group(1), match.group(2)))
    expected = sum(len(t.foreign_key_constraints) for t in TABLES)
    assert len(keys) == expected, "every foreign key of the models is added once"
    for index, table, target in keys:
        for name in (table, target):
            if distribution(metadata.tables[name]) != LOCAL:
                assert placed_at[name] < index, f"{table} → {target} added before {name} was placed"
