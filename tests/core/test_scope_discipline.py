"""Scope lives in one place: no code fetches a scoped row by key except through
``zhucun.core.scope`` (``access``, ``access_by``, ``get``), which answers 404 for a row
outside the caller's area. A justified exception carries an ``# unscoped:`` comment."""

from __future__ import annotations

import ast
from pathlib import Path

import zhucun
from zhucun.core.scope import scoped_models

PACKAGE = Path(zhucun.__file__).parent
ALLOWED_FILES = {PACKAGE / "core" / "scope.py", PACKAGE / "core" / "auth.py"}


def _violations() -> list[str]:
    names = {model.__name__ for model in scoped_models()}
    found = []
    for path in PACKAGE.rglob("*.py"):
        if path in ALLOWED_FILES:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get"
                and node.args
                and isinstance(node.args[0], ast.Name)
                and node.args[0].id in names
                and "# unscoped:" not in lines[node.lineno - 1]
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .get({node.args[0].id}, …)")
    return found


def test_scoped_models_are_fetched_through_core_scope():
    assert len(scoped_models()) >= 5
    assert _violations() == []


# Modules that may read past the session's scope (ACROSS_AREAS, across_areas()) or use a
# model's Core table (``Model.__table__``), which the scope's ORM filter does not reach.
# Each says why; anywhere else the scope applies to every read.
ESCAPES_ALLOWED = {
    "core/scope.py": "defines the escape and reads divisions to resolve an area's counties",
    "divisions/lookup.py": "division codes and names are public reference data: existence checks, names of seats",
    "registry/service.py": "one person in one household and unique household numbers are checked county-wide",
    "registry/kinship/queries.py": "kinship crosses village lines; callers filter what they show",
    "registry/snapshots/queries.py": "a comparison reads the whole county and filters by the changes' villages",
    "registry/duplicates/queries.py": "an ID number registered twice is found across counties, then filtered",
    "selection/cadres/service.py": "one record per person in a county, checked whatever the actor's unit",
    "selection/cadres/queries.py": "a cadre's history, read once the cadre was reached through the scope",
    "selection/cadres/postings.py": "a cadre's postings, read once the cadre was reached through the scope",
    "selection/cadres/profiles.py": "cadres' previous postings counted once the cadres were reached through the scope",
    "accounts/units/service.py": "unit names are unique across the country",
    "core/imports/lookup.py": "an import's checks look up numbers, names and codes county-wide and show no row",
    "registry/import_kind/__init__.py": "the members kind names the table whose ID hashes an import checks",
    "registry/import_kind/writer.py": "bulk COPY / INSERT into the register's tables: writes, no reads",
    "registry/import_kind/facts.py": "an import's checks look up household numbers county-wide and show no row",
    "core/naming.py": "a page names the divisions and units it shows: names are public reference data",
    "divisions/queries.py": "a hometown is picked among every division of China: names are public reference data",
    "registry/models.py": "household_columns() names the table's columns for history and imports: no read",
    "registry/queries.py": "incomes below the line are read by their household's key; the household carries the scope",
    "registry/present.py": "history names the people and households of entries the reader may already see",
    "accounts/present.py": "history and the audit trail name the accounts that acted",
    "identification/favouritism.py": "relatives of officials are found across villages; the report shows only the area",
    "selection/matching/loader.py": "avoidance looks for cadres' kin and postings county-wide; no row is shown",
    "selection/cadres/import_kind.py": "cadres are written in bulk and checked county-wide; no row is shown",
    "demo/writer.py": "bulk COPY of the generated register: writes, no reads",
    "demo/guarantee.py": "the demo's funds, policies and checks, written in bulk for the teams; no row is shown",
    "selection/helpers/pool.py": "the county's helpers and loads, whoever acts (a unit ending its cadre's posting)",
    "selection/helpers/leaving.py": "a leaving helper's households go to the county's helpers with room, whoever acts",
    "core/imports/writer.py": "a kind's checked rows are written in bulk (COPY) into its table: writes, no reads",
}
ESCAPE_NAMES = {"ACROSS_AREAS", "across_areas", "ALL_AREAS"}


def _escapes(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        named = (isinstance(node, ast.Name) and node.id in ESCAPE_NAMES) or (
            isinstance(node, ast.Attribute) and (node.attr in ESCAPE_NAMES or node.attr == "__table__")
        )
        imported = isinstance(node, ast.ImportFrom) and any(a.name in ESCAPE_NAMES for a in node.names)
        spelled = isinstance(node, ast.Constant) and node.value == "zhucun_all_areas"
        if named or imported or spelled:
            lines.append(node.lineno)
    return sorted(set(lines))


def test_reads_past_the_scope_only_in_the_allowed_modules():
    used = {}
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith("migrations/"):  # frozen SQL, run outside any scope
            continue
        if lines := _escapes(path):
            used[relative] = lines
    outside = {module: lines for module, lines in used.items() if module not in ESCAPES_ALLOWED}
    assert outside == {}, "read through core.scope, or add the module to ESCAPES_ALLOWED with its reason"
    stale = set(ESCAPES_ALLOWED) - set(used)
    assert stale == set(), "no longer needed: remove from ESCAPES_ALLOWED"
    assert all(reason.strip() for reason in ESCAPES_ALLOWED.values())
