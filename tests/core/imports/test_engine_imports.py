"""The engine (everything under core/) imports no mechanism: the mechanisms plug into it
through their manifests, never the reverse. Read from the source, every import statement
(at the top of a module or inside a function, absolute or relative) is checked."""

from __future__ import annotations

import ast
from pathlib import Path

import zhucun
from zhucun.mechanisms import MECHANISMS

ROOT = Path(zhucun.__file__).parent
CORE = ROOT / "core"
# core may read the list of mechanisms and their manifests by name (core.mechanism does),
# but no mechanism's code.
MECHANISM_PACKAGES = {f"zhucun.{name}" for name in MECHANISMS if name != "core"} | {
    f"zhucun.{path.name}" for path in ROOT.iterdir() if path.is_dir() and (path / "manifest.py").exists()
} - {"zhucun.core"}


def imported(path: Path, source: str | None = None) -> list[tuple[int, str]]:
    """(line, module) of every import in the file; relative ones resolved from its package."""
    package = "zhucun." + ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8") if source is None else source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            found += [(node.lineno, f"{base}.{alias.name}" if not node.module else base) for alias in node.names]
    return found


def mechanism_of(module: str) -> str | None:
    return next((p for p in MECHANISM_PACKAGES if module == p or module.startswith(p + ".")), None)


def test_core_imports_no_mechanism():
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {module}"
        for path in sorted(CORE.rglob("*.py"))
        for line, module in imported(path)
        if mechanism_of(module)
    ]
    assert not offences, "core imports mechanisms:\n" + "\n".join(offences)


def test_the_check_sees_relative_and_nested_imports():
    probe = CORE / "imports" / "probe.py"  # a file that does not exist: only its package matters
    source = "def f():\n    from ...registry import models\n    import zhucun.selection.rules\n"
    found = [module for _, module in imported(probe, source)]
    assert [mechanism_of(m) for m in found] == ["zhucun.registry", "zhucun.selection"]
