"""Names, not codes: how a page shows a division code, a catalogue code or a unit id.

One ``Names`` per rendered page looks each key up once and remembers it; templates reach it
through the filters registered here (``{{ code|division }}``, ``{{ code|division_path }}``,
``{{ unit_id|unit }}``, ``{{ code|label("ethnicity") }}``), so that no page formats a code
by itself and every page says the same thing for the same code.
"""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from .scope import across_areas

# A 12-digit statistical code: province (2), prefecture (4), county (6), township (9), village (12).
PREFIXES = (2, 4, 6, 9, 12)
SEPARATOR = " › "


def ancestors(code: str) -> list[str]:
    """The codes of a division and of every division above it, top first, from the code alone."""
    if len(code) != 12 or not code.isdigit():
        return []
    found = []
    for width in PREFIXES:
        found.append(code[:width].ljust(12, "0"))
        if set(code[width:]) == {"0"}:
            break
    return found


class Names:
    """The names behind the codes and ids of one page, each looked up once."""

    def __init__(self, session: Session | None):
        self.session = session
        self.divisions: dict[str, tuple[str, str]] = {}
        self.units: dict[int, str | None] = {}
        self.people: dict[str, str] = {}

    def _load_divisions(self, codes: list[str]) -> None:
        division = _table("divisions")
        wanted = [c for c in codes if c not in self.divisions]
        if not wanted or self.session is None:
            return
        # A division's name is public (the statistics bureau publishes the tables), so the path
        # above the caller's own area may be named; rows are never listed through this read.
        rows = self.session.execute(
            across_areas(select(division.c.code, division.c.name, division.c.level).where(division.c.code.in_(wanted)))
        )
        for code, name, level in rows:
            self.divisions[code] = (name, level)

    def named(self, codes: Any) -> dict[str, str]:
        """The names of these divisions (those that exist), in one query for the ones not yet known."""
        wanted = sorted({c for c in codes if c})
        self._load_divisions(wanted)
        return {c: self.divisions[c][0] for c in wanted if c in self.divisions}

    def prefetch(self, codes: Any) -> None:
        """Look up many divisions and their ancestors in one query (a list's villages)."""
        self._load_divisions(sorted({a for c in codes if c for a in ancestors(c)}))

    def division(self, code: str | None) -> str:
        if not code:
            return ""
        self._load_divisions(ancestors(code))
        found = self.divisions.get(code)
        return found[0] if found else code

    def division_path(self, code: str | None, top: str = "county") -> str:
        """青岚县 › 金堰镇 › 花河村: the names from ``top``'s level down to the division."""
        if not code:
            return ""
        chain = ancestors(code)
        self._load_divisions(chain)
        names = [self.divisions[c] for c in chain if c in self.divisions]
        levels = [level for _, level in names]
        start = levels.index(top) if top in levels else 0
        return SEPARATOR.join(name for name, _ in names[start:]) or code

    def unit(self, unit_id: int | str | None) -> str:
        unit = _table("units")
        if unit_id in (None, ""):
            return ""
        if not str(unit_id).isascii() or not str(unit_id).isdigit() or int(unit_id) > 2**31 - 1:
            return str(unit_id)  # a form sent back with what was typed: shown as typed
        key = int(unit_id)
        if key not in self.units and self.session is not None:
            self.units[key] = self.session.scalar(select(unit.c.name).where(unit.c.id == key))
        return self.units.get(key) or "—"

    def prefetch_people(self, usernames: Any) -> None:
        """The display names of these accounts, in one query (a list's operators)."""
        wanted = sorted({u for u in usernames if u and u not in self.people})
        if not wanted or self.session is None:
            return
        users = _table("users")
        # Who did something is named whatever the account's area, as the audit trail names
        # it: only the display name is read.
        rows = self.session.execute(
            across_areas(select(users.c.username, users.c.display_name).where(users.c.username.in_(wanted)))
        )
        self.people.update({username: name for username, name in rows if name})

    def person(self, username: str | None) -> str:
        """张书记 for ``shuji``: an account shown by its person's name (its own name if none)."""
        if not username:
            return ""
        self.prefetch_people([username])
        return self.people.get(username, username)


def _names(context: Any) -> Names:
    names = context.get("names")
    return names if isinstance(names, Names) else Names(None)


@pass_context
def division_filter(context: Any, code: str | None) -> str:
    return _names(context).division(code)


@pass_context
def division_path_filter(context: Any, code: str | None, top: str = "county") -> str:
    return _names(context).division_path(code, top)


@pass_context
def division_with_code(context: Any, code: str | None) -> Markup:
    """The name, and the code beside it for a clerk who must type or compare it."""
    if not code:
        return Markup("")
    return Markup('{} <span class="code">{}</span>').format(_names(context).division(code), code)


@pass_context
def person_filter(context: Any, username: str | None) -> str:
    return _names(context).person(username)


@pass_context
def unit_filter(context: Any, unit_id: int | str | None) -> str:
    return _names(context).unit(unit_id)


# Catalogues by name, registered by the mechanism that defines them (the registry's
# catalogues module fills it when it is loaded with the models), so that core imports none.
CATALOGUES: dict[str, Any] = {}


def _table(name: str) -> Any:
    """A reference table by name from the metadata (divisions and units are the mechanisms'
    tables; core names them as data, without importing their models)."""
    from .db import Base

    return Base.metadata.tables[name]


def catalogue_label(code: str | None, catalogue: str) -> str:
    return CATALOGUES[catalogue].label(code) if code else ""


def number(value: Any) -> str:
    """A count with thousands separators (163,408), as every page shows counts."""
    if value is None or value == "":
        return ""
    return f"{value:,}" if isinstance(value, int | float) else str(value)


def install(env: Any) -> None:
    env.filters.update(
        division=division_filter,
        division_path=division_path_filter,
        division_code=division_with_code,
        unit=unit_filter,
        person=person_filter,
        label=catalogue_label,
        number=number,
    )
    env.globals["escape"] = escape
