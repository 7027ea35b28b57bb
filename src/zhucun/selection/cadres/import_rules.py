"""Rules of a cadre file: the cells, the dispatching unit (by number or exact name), the
place of service inside the importer's area, and one record per person."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zhucun.core.i18n import _l
from zhucun.core.imports.checks import (
    LOOKED_UP,
    Context,
    Divisions,
    Ledger,
    check_birth_dates,
    check_field,
    check_ids,
    check_places,
    check_stray,
    check_twice,
)
from zhucun.core.imports.kinds import CheckedRows
from zhucun.core.imports.problems import DEFAULT_CAP, Problems, shorten
from zhucun.core.imports.readers import Table
from zhucun.selection.cadres.import_fields import CADRE_FIELDS, FIELDS

NO_UNIT = _l("There is no dispatching unit “{value}”.")
TWO_UNITS = _l("Several dispatching units are named “{value}”; give the unit's number instead.")
NOT_A_MEMBER = _l("A date of joining the party is given, but the cadre is not marked as a party member.")


@dataclass
class Units:
    """Dispatching units by number and by exact name (a name may be shared)."""

    ids: set[int] = field(default_factory=set)
    by_name: dict[str, list[int]] = field(default_factory=dict)

    def find(self, text: str) -> int | bool | None:
        """The unit's id; None when there is none, False when the name is ambiguous."""
        if text.isascii() and text.isdigit():
            return int(text) if int(text) in self.ids else None
        found = self.by_name.get(text, [])
        return found[0] if len(found) == 1 else (False if found else None)


@dataclass
class CadreFacts:
    divisions: Divisions = field(default_factory=Divisions)
    units: Units = field(default_factory=Units)


Cadres = CheckedRows


def check_cadres(table: Table, facts: CadreFacts, *, today: dt.date, ledger: Ledger | None = None) -> Cadres:
    """Every check that needs no personal-number hash (``checks.check_registered`` follows)."""
    ctx = Context(table, ledger or Ledger(Problems(DEFAULT_CAP)), today)
    check_stray(ctx)
    values = {f.name: col for f in CADRE_FIELDS if f.kind not in LOOKED_UP if (col := check_field(ctx, f)) is not None}
    for name in ("division_code", "hometown_code"):
        if name in table.columns:
            values[name] = check_places(ctx, FIELDS[name], facts.divisions)
    values["unit_id"] = _units(ctx, facts.units)
    checked_ids = check_ids(ctx, FIELDS["id_number"], values.get("gender"))
    values["birth_date"] = check_birth_dates(ctx, FIELDS["birth_date"], values.get("birth_date"), checked_ids)
    ids = checked_ids.numbers
    _party(ctx, values)
    check_twice(ctx, FIELDS["id_number"], ids)
    return Cadres(table.rows, values, ids, ctx.problems, table.letters)


def _units(ctx: Context, units: Units) -> list[int | None]:
    check_field(ctx, FIELDS["unit"])
    texts = ctx.table.values("unit") or []
    found = {text: units.find(text) for text in set(texts) if text}
    bad = {text for text, unit in found.items() if unit is None or unit is False}
    if bad:
        positions = np.flatnonzero(np.fromiter(map(bad.__contains__, texts), bool, len(texts)))
        ctx.problems.at(
            positions,
            ctx.table.rows,
            ctx.table.letters["unit"],
            "unknown_unit",
            lambda i: (TWO_UNITS if found[texts[i]] is False else NO_UNIT, {"value": shorten(texts[i])}),
        )
    return [None if text in bad else found.get(text) for text in texts]


def _party(ctx: Context, values: dict[str, list[Any]]) -> None:
    joined, member = values.get("party_joined"), values.get("party_member")
    if joined is None or member is None:
        return
    wrong = np.flatnonzero(
        np.fromiter((j is not None and m is False for j, m in zip(joined, member)), bool, len(joined))
    )
    ctx.problems.at(
        wrong, ctx.table.rows, ctx.table.letters["party_joined"], "not_a_party_member", lambda i: (NOT_A_MEMBER, {})
    )
