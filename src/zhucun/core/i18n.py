"""Translations: Babel catalogs per mechanism, merged per locale; translate, then format.

Source strings are English; ``zh_CN`` is the default locale. Each mechanism keeps its own
catalog (``locale/<locale>/LC_MESSAGES/<mechanism>.po``) so that work on one mechanism
never touches another's file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import LazyProxy, NullTranslations, Translations

LOCALES = ("zh_CN", "en")
DEFAULT_LOCALE = "zh_CN"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
HTML_LANG = {"zh_CN": "zh-CN", "en": "en"}

_current: ContextVar[str] = ContextVar("zhucun_locale", default=DEFAULT_LOCALE)


def catalog_files(locale: str) -> list[Path]:
    return sorted((LOCALE_DIR / locale / "LC_MESSAGES").glob("*.po"))


def merged_catalog(locale: str) -> Catalog:
    merged = Catalog(locale=locale)
    for path in catalog_files(locale):
        with path.open("rb") as fh:
            for message in read_po(fh, locale=locale):
                if message.id:
                    merged[message.id] = message
    return merged


@cache
def translations(locale: str) -> NullTranslations:
    buffer = io.BytesIO()
    write_mo(buffer, merged_catalog(locale))
    buffer.seek(0)
    return Translations(fp=buffer)


def current_locale() -> str:
    return _current.get()


@contextmanager
def use_locale(locale: str) -> Iterator[None]:
    token = _current.set(normalize(locale) or DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def set_locale(locale: str) -> None:
    _current.set(normalize(locale) or DEFAULT_LOCALE)


def gettext(message: str) -> str:
    return translations(_current.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_current.get()).ngettext(singular, plural, n)


def lazy_gettext(message: str) -> LazyProxy:
    """A string translated when it is shown, in the locale of whoever reads it."""
    return LazyProxy(gettext, message, enable_cache=False)


_ = gettext
_l = lazy_gettext


def normalize(tag: str | None) -> str | None:
    """Map a language tag (``zh``, ``zh-CN``, ``en-US``…) to a supported locale."""
    if not tag:
        return None
    tag = tag.strip().replace("-", "_").lower()
    if tag.startswith("zh"):
        return "zh_CN"
    if tag.startswith("en"):
        return "en"
    return None


def from_accept_language(header: str | None) -> str | None:
    candidates: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _sep, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        locale = normalize(tag)
        if locale and quality > 0:
            candidates.append((-quality, index, locale))
    return min(candidates)[2] if candidates else None


def negotiate(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    return normalize(query) or normalize(cookie) or from_accept_language(accept_language) or DEFAULT_LOCALE


def locale_from_environment() -> str:
    """The CLI's locale: ZHUCUN_LANG, then the POSIX variables, then Chinese."""
    for name in ("ZHUCUN_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            locale = normalize(value.split(".")[0])
            if locale:
                return locale
    return DEFAULT_LOCALE
