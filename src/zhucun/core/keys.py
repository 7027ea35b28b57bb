"""Rotating the encryption key of personal data, and moving stored numbers onto the new key.

``Keyring.rotate`` adds a key file and makes it current: numbers written from then on use
it, and older ones still decrypt with their own key, whose version each ciphertext names in
its first bytes. Re-encryption then walks every table that holds ciphertexts (its
``*_cipher`` columns) in primary-key order, a batch at a time: the batch's stale values
(found in SQL by their header bytes) are decrypted and encrypted in bulk and written back
with one executemany, and each batch commits. A run stopped half-way loses nothing (the old
keys still decrypt) and the next run continues with what is left. Lookup hashes do not
change: they are keyed by a separate key that is never rotated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, LargeBinary, MetaData, Row, Table, Update, and_, bindparam, func, or_, select, tuple_
from sqlalchemy.orm import Session

from zhucun.core import audit, present
from zhucun.core.audit import Actor
from zhucun.core.crypto import FORMAT, HEADER, Keyring
from zhucun.core.i18n import _l
from zhucun.core.present import Action

BATCH = 5_000


class Tag(StrEnum):
    # Named before tags took the mechanism:object:verb form; entries keep them.
    ROTATED = "keys.rotated"
    REENCRYPTED = "keys.reencrypted"


ROTATED, REENCRYPTED = Tag.ROTATED, Tag.REENCRYPTED
LABELS = present.actions(
    {
        Tag.ROTATED: Action(_l("Key rotated"), _l("made key version {version} current"), clauses=False),
        Tag.REENCRYPTED: Action(
            _l("Numbers re-encrypted"), _l("moved stored numbers onto key version {version}"), clauses=False
        ),
    }
)


@dataclass(frozen=True)
class KeyCount:
    """How many values of one column are under one key version."""

    table: str
    column: str
    version: int
    count: int


def cipher_columns(metadata: MetaData) -> list[tuple[Table, list[Column[bytes]]]]:
    """The tables holding ciphertexts, with those columns, in a stable order."""
    found = []
    for table in metadata.sorted_tables:
        columns = [c for c in table.columns if c.name.endswith("_cipher") and isinstance(c.type, LargeBinary)]
        if columns:
            found.append((table, columns))
    return found


def header(version: int) -> bytes:
    """The bytes every ciphertext under ``version`` begins with."""
    return HEADER.pack(FORMAT, version)


def census(session: Session, metadata: MetaData) -> list[KeyCount]:
    """Stored values per table, column and key version: one GROUP BY per column."""
    counts = []
    for table, columns in cipher_columns(metadata):
        for column in columns:
            head = func.substr(column, 1, HEADER.size)
            rows = session.execute(select(head, func.count()).where(column.is_not(None)).group_by(head)).all()
            counts += [KeyCount(table.name, column.name, HEADER.unpack(bytes(h))[1], n) for h, n in rows]
    return sorted(counts, key=lambda c: (c.table, c.column, c.version))


def rotate(session: Session, keyring: Keyring, *, actor: Actor, reason: str | None = None) -> int:
    """A new current key; recorded in the audit trail. Returns its version."""
    before = keyring.current_version
    version = keyring.rotate()
    audit.record(
        session,
        actor=actor,
        action=ROTATED,
        entity="keyring",
        entity_id=version,
        before={"version": before},
        after={"version": version},
        reason=reason,
    )
    session.commit()
    return version


def reencrypt(
    session: Session,
    metadata: MetaData,
    keyring: Keyring,
    *,
    actor: Actor,
    batch: int = BATCH,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Every stored value under an older key written again under the current one.

    Returns the rows rewritten per table; commits batch by batch."""
    current = header(keyring.current_version)
    done: dict[str, int] = {}
    for table, columns in cipher_columns(metadata):
        done[table.name] = 0
        for rows in _stale_batches(session, table, columns, current, batch):
            session.execute(_update(table, columns), _rewritten(keyring, table, columns, rows))
            session.commit()
            done[table.name] += len(rows)
            if progress is not None:
                progress(table.name, done[table.name])
    audit.record(
        session,
        actor=actor,
        action=REENCRYPTED,
        entity="keyring",
        entity_id=keyring.current_version,
        after={"version": keyring.current_version, "rows": done},
    )
    session.commit()
    return done


def _stale_batches(
    session: Session, table: Table, columns: list[Column[bytes]], current: bytes, size: int
) -> Iterator[Sequence[Row[Any]]]:
    key = list(table.primary_key.columns)
    stale = or_(*(and_(c.is_not(None), func.substr(c, 1, HEADER.size) != current) for c in columns))
    last = None
    while True:
        statement = select(*key, *columns).where(stale).order_by(*key).limit(size)
        if last is not None:
            statement = statement.where(tuple_(*key) > tuple_(*last))
        rows = session.execute(statement).all()
        if not rows:
            return
        yield rows
        last = tuple(rows[-1][: len(key)])


def _update(table: Table, columns: list[Column[bytes]]) -> Update:
    key = table.primary_key.columns
    return (
        table.update()
        .where(*(c == bindparam(f"k_{c.name}") for c in key))
        .values({c.name: bindparam(f"v_{c.name}") for c in columns})
    )


def _rewritten(
    keyring: Keyring, table: Table, columns: list[Column[bytes]], rows: Sequence[Row[Any]]
) -> list[dict[str, Any]]:
    key = list(table.primary_key.columns)
    params = [{f"k_{c.name}": value for c, value in zip(key, row)} for row in rows]
    current = header(keyring.current_version)
    for i, column in enumerate(columns, start=len(key)):
        name = f"v_{column.name}"
        # Only stale values are opened; one already under the current key (another column
        # of the row was stale) is written back as it is.
        stale = [
            (n, bytes(row[i]))
            for n, row in enumerate(rows)
            if row[i] is not None and not bytes(row[i]).startswith(current)
        ]
        for param, row in zip(params, rows):
            param[name] = None if row[i] is None else bytes(row[i])
        sealed = keyring.encrypt_many(keyring.decrypt_many(blob for _, blob in stale))
        for (n, _blob), new in zip(stale, sealed):
            params[n][name] = new
    return params
