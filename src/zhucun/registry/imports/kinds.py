"""The two kinds of import, households and members or cadres, as the service sees them:
their columns, the facts and rules they need, how they are hashed, counted and written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..idnumbers import mask
from ..protect import mask_bank, mask_phone
from . import cadre_rules, facts, rules, writer
from .checks import check_registered, column_for
from .columns import BANK, FIELDS, ID, PHONE, Field
from .problems import Problems
from .readers import Table

PREVIEW_ROWS = 10
MASKS: dict[str, Callable[[str], Any]] = {ID: mask, PHONE: mask_phone, BANK: mask_bank}


@dataclass(frozen=True)
class Kind:
    name: str
    place: str  # the field naming where each row belongs
    facts: Callable[..., Any]
    check: Callable[..., Any]
    write: Callable[..., writer.Written]

    @property
    def fields(self) -> tuple[Field, ...]:
        return FIELDS[self.name]

    def columns(self) -> list:
        return [f.column for f in self.fields]

    def column_for(self, name: str) -> Any:
        return column_for(next(f for f in self.fields if f.name == name))

    def hash(self, checked: Any, protector: Any) -> list[str | None]:
        """Lookup hashes of the valid ID numbers, aligned with the rows (None where invalid)."""
        present = [number for number in checked.ids if number]
        digests = protector.id_hashes(present)
        if len(present) == len(checked.ids):
            return digests
        found = iter(digests)
        return [next(found) if number else None for number in checked.ids]

    def check_registered(self, checked: Any, hashes: list[str | None], registered: set[str]) -> None:
        check_registered(checked.problems, checked.rows, checked.letters.get("id_number"), checked.ids, hashes,
                         registered)

    def places(self, checked: Any) -> list[str]:
        return [code for code in set(checked.values[self.place]) if code]

    def counties(self, checked: Any) -> set[str]:
        return {code[:6] for code in self.places(checked)}

    def counts(self, checked: Any) -> dict[str, int]:
        if self.name == "members":
            return {"households": len(checked.grouping), "members": len(checked)}
        return {"cadres": len(checked)}


MEMBERS = Kind("members", "village_code", facts.member_facts, rules.check_members, writer.write_members)
CADRES = Kind("cadres", "division_code", facts.cadre_facts, cadre_rules.check_cadres, writer.write_cadres)
KINDS = {kind.name: kind for kind in (MEMBERS, CADRES)}


@dataclass
class Prepared:
    kind: Kind
    table: Table
    checked: Any
    hashes: list[str | None]

    @property
    def problems(self) -> Problems:
        return self.checked.problems

    @property
    def preview(self) -> list[dict[str, str]]:
        return preview(self.table, self.kind.fields)


def preview(table: Table, fields: tuple[Field, ...], rows: int = PREVIEW_ROWS) -> list[dict[str, str]]:
    """The first rows as read, personal numbers masked, headed by the fields' Chinese headers."""
    shown = [f for f in fields if f.name in table.columns]
    return [{"row": str(table.rows[i]),
             **{f.header: _shown(f, table.columns[f.name], i) for f in shown}}
            for i in range(min(rows, len(table)))]


def _shown(f: Field, column: Any, i: int) -> str:
    """A cell as read (an unparseable one as written), personal numbers masked."""
    value = column.raw.get(i, column.values[i])
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    mask_of = MASKS.get(f.kind)
    return (mask_of(text) or "") if mask_of and text else text
