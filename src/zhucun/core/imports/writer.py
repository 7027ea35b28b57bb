"""Writing a checked batch in the caller's transaction: the mechanics every kind shares.
A kind prepares its rows (ids allocated in blocks, personal numbers encrypted, hashed and
masked in bulk, table by table in the order of the foreign keys); the engine sends them by
``copy_rows`` (binary COPY on PostgreSQL). Preparing the rows is kept apart from storing
them, so that the next batch can be prepared while the database stores the last one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
from sqlalchemy import Table
from sqlalchemy.orm import Session

from zhucun.core.bulk import copy_encoded, copy_rows, encode_binary
from zhucun.core.ids import allocate

CHUNK = 20_000  # rows encrypted at once: bounded memory, still in bulk


@dataclass(frozen=True)
class Written:
    """What was stored, by the kind's names: {"households": 3, "members": 9, "incomes": 3}."""

    counts: dict[str, int] = field(default_factory=dict)

    def __add__(self, other: Written) -> Written:
        keys = dict.fromkeys([*self.counts, *other.counts])
        return Written({key: self.counts.get(key, 0) + other.counts.get(key, 0) for key in keys})


def expand(per_group: Sequence[Any], of_row: np.ndarray) -> list[Any]:
    """A group-level column (a household's) repeated on each of its rows."""
    expanded: list[Any] = np.asarray(per_group, dtype=object)[of_row].tolist()
    return expanded


def column(values: dict[str, list[Any]], name: str, count: int) -> list[Any]:
    """A parsed column, or Nones when the file does not carry it."""
    return values.get(name) or [None] * count


Allocate = Callable[[str, int], int]  # (table, count) → the first of ``count`` new ids


@dataclass
class Rows:
    """A batch's rows, ready to store, table by table in the order of the foreign keys; as
    tuples, or encoded for PostgreSQL's binary COPY."""

    parts: list[tuple[Table, tuple[str, ...], list[tuple[Any, ...]] | bytes]]
    written: Written

    def encoded(self) -> Rows:
        return Rows(
            [(t, c, d if isinstance(d, bytes) else encode_binary(t, c, d)) for t, c, d in self.parts], self.written
        )


def county_keys(places: Sequence[str]) -> list[str]:
    """The county key of each row (the first six digits of the division it names)."""
    return [code[:6] for code in places]


def one_table(model: Any, columns: tuple[str, ...], rows: Iterable[tuple[Any, ...]], counts: dict[str, int]) -> Rows:
    """The rows of a kind that fills one table (a mapped class's), with what it counts."""
    return Rows([(cast(Table, model.__table__), columns, list(rows))], Written(counts))


def store(session: Session, rows: Rows) -> Written:
    for table, columns, data in rows.parts:
        if isinstance(data, bytes):
            copy_encoded(session, table, columns, data)
        else:
            copy_rows(session, table, columns, data, binary=True)
    return rows.written


def allocator(session: Session) -> Allocate:
    return lambda table, count: allocate(session, table, count)
