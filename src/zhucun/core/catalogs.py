"""Maintaining the translation catalogs: extract every message from Python and Jinja
sources, and keep each mechanism's ``.po`` files in step (``make messages``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from .i18n import LOCALE_DIR, LOCALES

PACKAGE_DIR = LOCALE_DIR.parent
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None, "ngettext": (1, 2)}
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "false"}}


def extract() -> Iterator[tuple[str, str, int]]:
    """(message id, relative file, line) for every translatable string in the package."""
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE_DIR), METHOD_MAP, OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    ):
        ids = message if isinstance(message, tuple) else (message,)
        for msgid in ids:
            if msgid:
                yield msgid, filename, lineno


def domain_of(filename: str) -> str:
    """The catalog a source file's new messages go to: its mechanism's, or core's."""
    first = Path(filename).parts[0]
    return first if (PACKAGE_DIR / first).is_dir() and first not in ("templates", "static", "locale") else "core"


def read(path: Path, locale: str) -> Catalog:
    if path.exists():
        with path.open("rb") as fh:
            return read_po(fh, locale=locale)
    return Catalog(locale=locale, project="zhucun", charset="utf-8")


def update() -> dict[str, list[str]]:
    """Add new messages to the catalogs of every locale; returns untranslated zh_CN ids per file."""
    found: dict[str, tuple[str, int]] = {}
    for msgid, filename, lineno in extract():
        found.setdefault(msgid, (filename, lineno))
    missing: dict[str, list[str]] = {}
    for locale in LOCALES:
        directory = LOCALE_DIR / locale / "LC_MESSAGES"
        directory.mkdir(parents=True, exist_ok=True)
        catalogs = {p.stem: read(p, locale) for p in directory.glob("*.po")}
        owner = {m.id: name for name, cat in catalogs.items() for m in cat if m.id}
        for msgid, (filename, lineno) in sorted(found.items()):
            name = owner.get(msgid) or domain_of(filename)
            catalog = catalogs.setdefault(name, Catalog(locale=locale, project="zhucun", charset="utf-8"))
            if msgid not in catalog:
                catalog.add(msgid, "", locations=[(filename, lineno)])
        for name, catalog in catalogs.items():
            with (directory / f"{name}.po").open("wb") as fh:
                write_po(fh, catalog, omit_header=False, sort_output=True, no_location=True, width=0)
            if locale == "zh_CN":
                gaps = [m.id for m in catalog if m.id and m.id in found and not m.string]
                if gaps:
                    missing[name] = gaps
    return missing


def untranslated(locale: str = "zh_CN") -> list[str]:
    """Extracted messages without a translation in the locale's merged catalogs."""
    from .i18n import merged_catalog

    catalog = merged_catalog(locale)
    return sorted({msgid for msgid, _f, _l in extract() if not ((message := catalog.get(msgid)) and message.string)})
