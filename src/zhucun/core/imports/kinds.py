"""What a kind of import is, and the kinds the mechanisms offer.

A kind is everything the engine needs to import one sort of file: its columns, where each
row belongs, the facts and checks of its own, how checked rows become table rows, what it
counts, who may import it and how the audit trail names it. Mechanisms define their kinds
in their own packages and list them in their manifests (``import_kinds``); the engine
knows them from there alone, so a new mechanism plugs in without touching ``core``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any, Protocol, cast

import numpy as np

from zhucun.core.errors import NotFound
from zhucun.core.i18n import _l
from zhucun.core.idnumbers import mask
from zhucun.core.imports.cells import Cells
from zhucun.core.imports.checks import Ledger, check_registered, column_for
from zhucun.core.imports.columns import BANK, ID, PHONE, Field
from zhucun.core.imports.problems import Problems, hide_ids
from zhucun.core.imports.readers import Table
from zhucun.core.protect import Protector, mask_bank, mask_phone
from zhucun.core.tabular import Column

if TYPE_CHECKING:
    from zhucun.core.imports.lookup import Lookup
    from zhucun.core.imports.writer import Rows

PREVIEW_ROWS = 10
MASKS: dict[str, Callable[[str], Any]] = {ID: mask, PHONE: mask_phone, BANK: mask_bank}
UNKNOWN = _l("There is no import of {value}.")


class Checked(Protocol):
    """What a kind's check returns for a batch: the parsed columns by field, the ID numbers
    (18-character forms, None where invalid or absent) and the errors found."""

    rows: np.ndarray
    values: dict[str, list[Any]]
    ids: list[str | None]
    problems: Problems
    letters: dict[str, str]

    def __len__(self) -> int: ...


@dataclass
class CheckedRows:
    """A checked batch as most kinds keep it (``Checked``): the parsed columns, the ID
    numbers and the errors, aligned with the file's rows."""

    rows: np.ndarray
    values: dict[str, list[Any]]
    ids: list[str | None]
    problems: Problems
    letters: dict[str, str]

    def __len__(self) -> int:
        return len(self.rows)


def counted(key: str) -> Callable[[Checked], dict[str, int]]:
    """A kind's ``counts`` when a batch holds one thing per row: {key: rows}."""
    return lambda checked: {key: len(checked)}


@dataclass(frozen=True)
class Kind:
    name: str  # in paths and the history: /imports/{name}
    label: Any  # _l("…"): shown in Chinese or English
    fields: tuple[Field, ...]
    place: str  # the field naming the division each row belongs to (the scope and the history)
    # (lookup) → (table → facts): the database facts of the kind's own checks, made once per
    # import and asked for each batch (lookup.py gives divisions, the lock, bulk reads).
    facts: Callable[[Lookup], Callable[[Table], Any]]
    # (table, facts, *, today, ledger) → Checked: every check that needs no ID hash.
    check: Callable[..., Checked]
    # (checked, hashes, *, allocate, import_id, protector, now) → writer.Rows, ready to COPY.
    prepare: Callable[..., Rows]
    counts: Callable[[Any], dict[str, int]]  # what a checked batch holds, e.g. {"cadres": 12}
    permission: str  # who may import it (declared by the mechanism)
    tag: str  # the audit action of an import, "mechanism:object:imported"
    done: Any  # _l("{cadres} cadres imported."), formatted with the counts
    would: Any  # the same for a dry run
    history: dict[str, str] = field(default_factory=dict)  # history column → count key
    # count key → the table it fills, refreshed (ANALYZE) after a large import
    tables: dict[str, str] = field(default_factory=dict)
    household_key: str | None = None  # rows sharing it must stay in one batch
    id_field: str | None = None  # the ID number column, checked against ``registered``
    registered: Callable[[], Any] | None = None  # the table of (county_code, id_hash) already in
    action: Any = None  # the link to its upload page, _l("Import cadres"); else "Import: {label}"
    help: Any = None  # what the upload page says about the file
    sample: Callable[..., Iterator[list[str]]] | None = None  # realistic rows, for tests and demos

    def columns(self) -> list[Column]:
        return [f.column for f in self.fields]

    def column_for(self, name: str) -> Any:
        return column_for(next(f for f in self.fields if f.name == name))

    @property
    def headers(self) -> list[str]:
        return [f.header for f in self.fields]

    def reopens(self, table: Table, ledger: Ledger) -> bool:
        """Whether the batch continues a household of an earlier one (the file is not grouped)."""
        if not self.household_key:
            return False
        return not ledger.households.isdisjoint(table.values(self.household_key) or ())

    def hash(self, checked: Checked, protector: Protector) -> list[str | None]:
        """Lookup hashes of the valid ID numbers, aligned with the rows (None where invalid)."""
        if self.id_field is None:
            return [None] * len(checked)
        present = [number for number in checked.ids if number]
        digests = protector.id_hashes(present)
        if len(present) == len(checked.ids):
            # Every row has a hash: the list is returned as is, not copied (a county's million).
            return cast("list[str | None]", digests)
        found = iter(digests)
        return [next(found) if number else None for number in checked.ids]

    def check_registered(self, checked: Checked, hashes: list[str | None], registered: set[str]) -> None:
        if self.id_field is not None:
            letter = checked.letters.get(self.id_field)
            check_registered(checked.problems, checked.rows, letter, checked.ids, hashes, registered)

    def places(self, checked: Checked) -> set[str]:
        return {code for code in set(checked.values.get(self.place) or ()) if code}

    def counties(self, checked: Checked) -> set[str]:
        return {code[:6] for code in self.places(checked)}

    def stored(self, counts: dict[str, int]) -> dict[str, int]:
        """The counts as the history row keeps them (its two count columns)."""
        return {column: counts.get(key, 0) for column, key in self.history.items()}

    def recalled(self, batch: Any) -> dict[str, int]:
        """A history row's counts under the kind's own names."""
        return {key: getattr(batch, column) or 0 for column, key in self.history.items()}

    def summary(self, counts: dict[str, int], *, dry_run: bool) -> str:
        return str(self.would if dry_run else self.done).format(**counts)


def kinds() -> dict[str, Kind]:
    """Every kind the mechanisms' manifests list, by name, in the manifests' order."""
    from zhucun.core import mechanism

    return _resolved(tuple(mechanism.each("import_kinds")))


@cache
def _resolved(targets: tuple[str, ...]) -> dict[str, Kind]:
    from zhucun.core.mechanism import resolve

    found: dict[str, Kind] = {}
    for target in targets:
        kind = resolve(target)
        if kind.name in found:
            raise ValueError(f"two import kinds are named {kind.name!r}")
        found[kind.name] = kind
    return found


def kind_named(name: str) -> Kind:
    """The kind of that name; 404 when no mechanism offers it."""
    try:
        return kinds()[name]
    except KeyError:
        raise NotFound(UNKNOWN, code="unknown_import_kind", value=name[:40]) from None


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
    notes: Problems = field(default_factory=Problems)
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


def _shown(f: Field, column: Cells, i: int) -> str:
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
    return (mask_of(text) or "") if mask_of and text else hide_ids(text)
