"""The scale-out rule (zhucun.core.db): every table is distributed by county code, or marked a
reference or local table; foreign keys stay within what Citus can enforce; and every table a
migration creates is placed by that migration, with the kind its model declares."""

from __future__ import annotations

import ast
import types
from pathlib import Path

import pytest
from sqlalchemy import inspect

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
        if (owner, node.func.attr) == ("op", "create_table"):
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


def test_an_upgrade_with_citus_makes_the_calls_that_place_every_table(monkeypatch, tmp_path):
    calls: list[tuple[str, dict]] = []
    bind = types.SimpleNamespace(execute=lambda statement, params: calls.append((str(statement), params)))
    monkeypatch.setattr(citus, "enabled", lambda: True)
    monkeypatch.setattr(citus, "op", types.SimpleNamespace(get_bind=lambda: bind))
    url = f"sqlite:///{tmp_path / 'citus.db'}"
    upgrade(url)
    placed = {}
    for sql, params in calls:
        if "create_reference_table" in sql:
            placed[params["t"]] = REFERENCE
        else:
            assert "create_distributed_table" in sql and "colocate_with => 'default'" in sql, sql
            assert params["c"] == COUNTY_COLUMN
            placed[params["t"]] = DISTRIBUTED
    assert len(placed) == len(calls), "a table was placed twice"
    engine = make_engine(url)
    created = set(inspect(engine).get_table_names()) - {"alembic_version"}
    engine.dispose()
    expected = {name: distribution(metadata.tables[name]) for name in created}
    assert placed == {name: kind for name, kind in expected.items() if kind != LOCAL}
