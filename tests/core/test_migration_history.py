"""The Alembic history as files, without a database: one straight line of dated, numbered
revisions, and migrations that carry their own SQL instead of importing the application's
(a migration must do tomorrow exactly what it did when it was written, whatever the models,
catalogues or helpers have become by then)."""

from __future__ import annotations

import ast
from pathlib import Path

from alembic.script import ScriptDirectory

from zhucun.core.migrate import MIGRATIONS, REVISION_FILE, alembic_config

VERSIONS = MIGRATIONS / "versions"
PACKAGE = "zhucun.migrations.versions"
ALLOWED = "zhucun.migrations"


def history() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def modules() -> list[Path]:
    return sorted(path for path in VERSIONS.glob("*.py") if path.name != "__init__.py")


def imported(path: Path) -> set[str]:
    """Every module a migration imports, relative imports resolved against its package."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = PACKAGE.split(".")[: len(PACKAGE.split(".")) - node.level + 1]
                names.add(".".join([*base, node.module] if node.module else base))
            else:
                names.add(node.module or "")
    return names


def outside_migrations(names: set[str]) -> set[str]:
    return {n for n in names if n.split(".")[0] == "zhucun" and not (n == ALLOWED or n.startswith(ALLOWED + "."))}


def test_the_history_is_one_straight_line():
    script = history()
    revisions = list(script.walk_revisions())
    assert len(script.get_heads()) == 1, script.get_heads()
    assert len(script.get_bases()) == 1, script.get_bases()
    for revision in revisions:
        assert not isinstance(revision.down_revision, tuple | list), f"{revision.revision} merges branches"
        assert len(revision.nextrev) <= 1, f"{revision.revision} is a branch point: {sorted(revision.nextrev)}"
        assert not revision.branch_labels and not revision.dependencies, revision.revision
    # walk_revisions() follows down_revision from the head: a file off the line would be missing.
    assert {r.path for r in revisions} == {str(p) for p in modules()}


def test_revision_files_are_dated_and_numbered_in_the_order_of_the_history():
    numbers = []
    for revision in reversed(list(history().walk_revisions())):
        name = Path(revision.path).name
        match = REVISION_FILE.match(name)
        assert match, f"{name}: not YYYY_MM_DD_NNNN_slug.py"
        year, month, day, number = match.groups()
        assert revision.revision == f"{year}{month}{day}_{number}", name
        numbers.append(int(number))
    assert numbers == sorted(set(numbers)), numbers


def test_no_migration_imports_live_application_code():
    offenders = {path.name: outside_migrations(imported(path)) for path in modules()}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_the_import_check_sees_absolute_and_relative_imports(tmp_path: Path):
    module = tmp_path / "2030_01_01_0001_x.py"
    module.write_text(
        "import zhucun.models\nfrom zhucun.migrations import citus\nfrom ...core import ids\nfrom .. import citus\n",
        encoding="utf-8",
    )
    assert outside_migrations(imported(module)) == {"zhucun.models", "zhucun.core"}
