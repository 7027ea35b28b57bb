"""The two kinds of import, households and members or cadres, as the service sees them:
their columns, the facts and rules they need, how they are hashed, counted and written."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from zhucun.core.idnumbers import mask
from zhucun.core.imports import rules, writer
from zhucun.core.imports.checks import Ledger, check_registered, column_for
from zhucun.core.imports.columns import BANK, FIELDS, ID, PHONE, Field
from zhucun.core.imports.facts import Cache
from zhucun.core.imports.problems import Problems
from zhucun.core.imports.readers import Table
from zhucun.core.protect import mask_bank, mask_phone
from zhucun.selection.cadres import import_rules as cadre_rules

PREVIEW_ROWS = 10
MASKS: dict[str, Callable[[str], Any]] = {ID: mask, PHONE: mask_phone, BANK: mask_bank}


@dataclass(frozen=True)
class Kind:
    name: str
    place: str  # the field naming where each row belongs
    household_key: str | None  # rows sharing it must stay in one batch
    check: Callable[..., Any]
    write: Callable[..., writer.Written]
    prepare: Callable[..., writer.Rows]

    @property
    def fields(self) -> tuple[Field, ...]:
        return FIELDS[self.name]

    def columns(self) -> list:
        return [f.column for f in self.fields]

    def column_for(self, name: str) -> Any:
        return column_for(next(f for f in self.fields if f.name == name))

    def facts(self, cache: Cache, table: Table) -> Any:
        return cache.members(table) if self.name == "members" else cache.cadres(table)

    def reopens(self, table: Table, ledger: Ledger) -> bool:
        """Whether the batch continues a household of an earlier one (the file is not grouped)."""
        return bool(self.household_key) and not ledger.households.isdisjoint(table.values(self.household_key) or ())

    def hash(self, checked: Any, protector: Any) -> list[str | None]:
        """Lookup hashes of the valid ID numbers, aligned with the rows (None where invalid)."""
        present = [number for number in checked.ids if number]
        digests = protector.id_hashes(present)
        if len(present) == len(checked.ids):
            return digests
        found = iter(digests)
        return [next(found) if number else None for number in checked.ids]

    def check_registered(self, checked: Any, hashes: list[str | None], registered: set[str]) -> None:
        check_registered(
            checked.problems, checked.rows, checked.letters.get("id_number"), checked.ids, hashes, registered
        )

    def places(self, checked: Any) -> set[str]:
        return {code for code in set(checked.values[self.place]) if code}

    def counties(self, checked: Any) -> set[str]:
        return {code[:6] for code in self.places(checked)}

    def counts(self, checked: Any) -> dict[str, int]:
        if self.name == "members":
            return {"households": len(checked.grouping), "members": len(checked)}
        return {"cadres": len(checked)}


MEMBERS = Kind(
    "members", "village_code", "household_no", rules.check_members, writer.write_members, writer.prepare_members
)
CADRES = Kind("cadres", "division_code", None, cadre_rules.check_cadres, writer.write_cadres, writer.prepare_cadres)
KINDS = {kind.name: kind for kind in (MEMBERS, CADRES)}


@dataclass
class Batch:
    table: Table
    checked: Any
    hashes: list[str | None]


@dataclass
class Run:
    """What one file gave, batch by batch: counts, places, the first rows, the errors; the
    batches themselves only when they are written after the whole file is checked."""

    kind: Kind
    problems: Problems
    keep: bool = False
    batches: list[Batch] = field(default_factory=list)
    rows: int = 0
    totals: dict[str, int] = field(default_factory=dict)
    place_set: set[str] = field(default_factory=set)
    first: Table | None = None

    def add(self, batch: Batch) -> None:
        self.rows += len(batch.table)
        for key, count in self.kind.counts(batch.checked).items():
            self.totals[key] = self.totals.get(key, 0) + count
        self.place_set |= self.kind.places(batch.checked)
        if self.first is None:
            self.first = batch.table
        if self.keep:
            self.batches.append(batch)

    def counts(self) -> dict[str, int]:
        return dict(self.totals)

    def places(self) -> list[str]:
        return sorted(self.place_set)

    @property
    def preview(self) -> list[dict[str, str]]:
        return preview(self.first, self.kind.fields) if self.first is not None else []


def preview(table: Table, fields: tuple[Field, ...], rows: int = PREVIEW_ROWS) -> list[dict[str, str]]:
    """The first rows as read, personal numbers masked, headed by the fields' Chinese headers."""
    shown = [f for f in fields if f.name in table.columns]
    return [
        {"row": str(table.rows[i]), **{f.header: _shown(f, table.columns[f.name], i) for f in shown}}
        for i in range(min(rows, len(table)))
    ]


def _shown(f: Field, column: Any, i: int) -> str:
    """A cell as read (an unparseable one as written), personal numbers masked."""
    value = column.raw.get(i, column.values[i])
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    if f.catalogue is not None and i not in column.raw:
        # A code read from a label (户主 → 02) is shown as its label again: the clerk checks
        # what they typed, not the codes it became. Several codes (other causes) are labelled each.
        return "、".join(f.catalogue.label(code) for code in text.split(","))
    mask_of = MASKS.get(f.kind)
    return (mask_of(text) or "") if mask_of and text else text
