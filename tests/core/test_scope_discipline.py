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
