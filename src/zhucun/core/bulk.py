"""Bulk writes without the ORM: COPY on PostgreSQL, executemany on SQLite.

Callers pass plain tuples in the order of ``columns``; everything happens in the caller's
transaction, so a failed or interrupted load leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

BATCH = 20_000


def copy_rows(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write ``rows`` into ``table``; returns how many were written."""
    if session.get_bind().dialect.name == "postgresql":
        return _copy_postgresql(session, table, columns, rows)
    return _executemany(session, table, columns, rows)


def _copy_postgresql(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    raw = session.connection().connection.driver_connection
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _executemany(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    statement = insert(table)
    batch: list[dict[str, Any]] = []
    count = 0
    connection = session.connection()
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) >= BATCH:
            connection.execute(statement, batch)
            count += len(batch)
            batch = []
    if batch:
        connection.execute(statement, batch)
        count += len(batch)
    return count
