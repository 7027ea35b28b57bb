"""Bulk writes without the ORM: COPY on PostgreSQL, executemany on SQLite.

Callers pass plain tuples in the order of ``columns``; everything happens in the caller's
transaction, so a failed or interrupted load leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

BATCH = 20_000

# psycopg's names for the types a binary COPY is told about, by SQLAlchemy's visit name.
_BINARY_TYPES = {
    "string": "varchar", "text": "text", "big_integer": "int8", "integer": "int4",
    "small_integer": "int2", "boolean": "bool", "date": "date", "datetime": "timestamp",
    "numeric": "numeric", "float": "float8", "large_binary": "bytea", "JSON": "json",
}


def copy_rows(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]],
              *, binary: bool = False) -> int:
    """Write ``rows`` into ``table``; returns how many were written.

    ``binary`` asks PostgreSQL for a binary COPY typed from the table's columns: about
    three times less work for the server than text, but every value must already have its
    column's Python type (``date`` for dates, ``Decimal`` for amounts, ``bytes``…).
    """
    if session.get_bind().dialect.name == "postgresql":
        return _copy_postgresql(session, table, columns, rows, binary)
    return _executemany(session, table, columns, rows)


def _copy_postgresql(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                     binary: bool) -> int:
    raw = session.connection().connection.driver_connection
    names = ", ".join(f'"{c}"' for c in columns)
    options = " (FORMAT BINARY)" if binary else ""
    count = 0
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN{options}') as copy:
        if binary:
            copy.set_types([binary_type(table, name) for name in columns])
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def binary_type(table: Table, column: str) -> str:
    """The PostgreSQL type name of a column, as a binary COPY needs it."""
    type_ = table.c[column].type
    return _BINARY_TYPES[getattr(type_, "__visit_name__", "")]


def _executemany(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    # Straight to the driver's executemany, with SQLAlchemy's own conversions of each
    # column's values (dates to text, amounts to numbers…) applied first: building a
    # dict per row for insert() costs twice as much as the insert itself.
    connection = session.connection()
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    statement = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
                 f"VALUES ({', '.join('?' for _ in columns)})")
    convert = _converter([table.c[name].type._cached_bind_processor(dialect) for name in columns])
    count = 0
    for batch in _batches(rows, BATCH):
        connection.exec_driver_sql(statement, [convert(row) for row in batch])
        count += len(batch)
    return count


def _converter(processors: list[Callable[[Any], Any] | None]) -> Callable[[Sequence[Any]], tuple]:
    active = [(i, p, [_NOTHING, None]) for i, p in enumerate(processors) if p is not None]
    if not active:
        return tuple

    def convert(row: Sequence[Any]) -> tuple:
        values = list(row)
        for i, process, last in active:
            value = values[i]
            # The same object as in the row before (a load time, a constant code) is
            # converted once: formatting a datetime costs more than inserting it.
            if value is not last[0]:
                last[0], last[1] = value, process(value)
            values[i] = last[1]
        return tuple(values)

    return convert


_NOTHING = object()


def _batches(rows: Iterable[Sequence[Any]], size: int) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
