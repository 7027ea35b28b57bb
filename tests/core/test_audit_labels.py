"""Every audit tag the code records has a label in both languages, declared in a module its
mechanism's manifest lists (so the audit page and its picker never show a bare code)."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from enum import StrEnum
from pathlib import Path

import zhucun
from zhucun.core import present
from zhucun.core.i18n import use_locale
from zhucun.core.mechanism import each

PACKAGE = Path(zhucun.__file__).parent


def _modules() -> list[str]:
    return [
        m.name
        for m in pkgutil.walk_packages([str(PACKAGE)], prefix="zhucun.")
        if ".migrations" not in m.name and not m.name.endswith("__main__")
    ]


def _tag_enums() -> dict[str, str]:
    """Every StrEnum value shaped like a tag, from every module of the package."""
    found = {}
    for name in _modules():
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, StrEnum) and value.__module__ == name:
                for member in value:
                    if member.value.count(":") == 2 or member.value.startswith("keys."):
                        found[member.value] = f"{name}.{value.__name__}"
    return found


def _literal_actions() -> list[str]:
    """Tags written as string literals in a record(…, action=…) call (they should be enums)."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {keyword.value.value!r}")
    return found


def test_every_tag_in_the_code_has_a_label_collected_through_the_manifests():
    present.load()
    collected = set(present.ACTIONS)
    tags = _tag_enums()
    assert len(tags) >= 40
    assert {tag: where for tag, where in tags.items() if tag not in collected} == {}
    listed = set(each("present"))
    assert {present.SOURCES[tag] for tag in tags} <= listed


def test_tags_are_enums_not_literals():
    assert _literal_actions() == []


def test_labels_differ_between_the_languages():
    present.load()
    for tag, action in present.ACTIONS.items():
        with use_locale("zh_CN"):
            chinese = str(action.label)
        with use_locale("en"):
            english = str(action.label)
        assert chinese != english and chinese != tag, tag
