"""Bulk writes without the ORM: COPY on PostgreSQL, executemany on SQLite.

Callers pass plain tuples in the order of ``columns``; everything happens in the caller's
transaction, so a failed or interrupted load leaves nothing behind.

``binary=True`` sends PostgreSQL's binary COPY format with the columns' own types, which
spares the server parsing text and is the fastest way in; values must then be of the
column's Python type exactly (Decimal for numeric, not float, ``date`` for dates, ``bytes``
for binary). On SQLite the rows go to the driver's executemany with SQLAlchemy's own
conversions applied (dates as ISO text, booleans as 0/1), skipping the per-row
dictionaries of an ORM or Core insert.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from psycopg import adapt, pq
from psycopg import adapters as pg_adapters
from psycopg.adapt import AdaptersMap
from psycopg.types.string import BytesBinaryDumper
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    text,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

BATCH = 20_000


def _fast_bytes(adapters: AdaptersMap) -> AdaptersMap:
    # psycopg dumps a bytea column by its type's last registered dumper, the DB-API Binary
    # wrapper's, written in Python; the C dumper of bytes gives the same bytes four times faster.
    adapters.register_dumper(bytes, BytesBinaryDumper)
    return adapters


ADAPTERS = _fast_bytes(AdaptersMap(pg_adapters))
# Binary COPY type names, most specific first (BigInteger is an Integer, Text a String).
PG_TYPES: tuple[tuple[type, str], ...] = (
    (BigInteger, "int8"),
    (SmallInteger, "int2"),
    (Integer, "int4"),
    (Boolean, "bool"),
    (DateTime, "timestamp"),
    (Date, "date"),
    (Float, "float8"),
    (Numeric, "numeric"),
    (LargeBinary, "bytea"),
    (Text, "text"),
    (String, "text"),
    (JSON, "json"),
)


def copy_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, binary: bool = False
) -> int:
    """Write ``rows`` into ``table``; returns how many were written."""
    if session.get_bind().dialect.name == "postgresql":
        return _copy_postgresql(session, table, columns, rows, binary)
    return _executemany(session, table, columns, rows)


def pg_type(table: Table, column: str) -> str:
    """The PostgreSQL type name of a column, as a binary COPY needs it."""
    kind = table.c[column].type
    return next(name for base, name in PG_TYPES if isinstance(kind, base))


def _driver_connection(connection: Connection) -> Any:
    """The DBAPI connection under SQLAlchemy's (psycopg's or sqlite3's), for what only the driver does."""
    raw = connection.connection.driver_connection
    if raw is None:
        raise RuntimeError("the connection has no driver connection (it was closed)")
    return raw


def _copy_postgresql(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]], binary: bool
) -> int:
    raw = _driver_connection(session.connection())
    if binary:
        _fast_bytes(raw.adapters)  # before the cursor, which takes a copy of the connection's adapters
    names = ", ".join(f'"{c}"' for c in columns)
    count = 0
    with (
        raw.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN' + (" (FORMAT BINARY)" if binary else "")) as copy,
    ):
        if binary:
            copy.set_types([pg_type(table, c) for c in columns])
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def encode_binary(table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows in PostgreSQL's binary COPY format, ready for ``copy_encoded``.

    Encoding apart from sending lets one thread encode the next batch while another sends
    the last one without holding the interpreter lock. psycopg's own row encoder (from its
    copy module, which it does not export) does the work, so the bytes are exactly what
    ``copy_rows(binary=True)`` would send.
    """
    from psycopg._copy_base import _binary_signature, _binary_trailer, format_row_binary

    transformer = adapt.Transformer(ADAPTERS)
    transformer.set_dumper_types([ADAPTERS.types.get_oid(pg_type(table, c)) for c in columns], pq.Format.BINARY)
    buffer = bytearray(_binary_signature)
    for row in rows:
        format_row_binary(row, transformer, buffer)
    buffer += _binary_trailer
    return bytes(buffer)


def copy_encoded(session: Session, table: Table, columns: Sequence[str], data: bytes) -> None:
    """Send rows encoded by ``encode_binary`` (PostgreSQL only)."""
    raw = _driver_connection(session.connection())
    names = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN (FORMAT BINARY)') as copy:
        copy.write(data)


def _executemany(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    # Straight to the driver's executemany, which streams from the iterator, with SQLAlchemy's
    # own conversions of each column's values applied first: building a dict per row for
    # insert() costs twice as much as the insert itself.
    connection = session.connection()
    dialect = connection.dialect
    raw = _driver_connection(connection)
    quote = dialect.identifier_preparer.quote
    statement = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join('?' for _ in columns)})"
    )
    convert = _converter([table.c[name].type._cached_bind_processor(dialect) for name in columns])
    counted = _Counted(map(convert, rows))
    raw.executemany(statement, counted)
    return counted.count


def _converter(processors: list[Callable[[Any], Any] | None]) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
    active = [(i, p, [_NOTHING, None]) for i, p in enumerate(processors) if p is not None]
    if not active:
        return tuple

    def convert(row: Sequence[Any]) -> tuple[Any, ...]:
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


class _Counted:
    """An iterator that counts what the driver takes from it."""

    def __init__(self, rows: Iterator[Sequence[Any]]):
        self._rows = rows
        self.count = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> Sequence[Any]:
        row = next(self._rows)
        self.count += 1
        return row


_CITUS: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def on_citus(session: Session) -> bool:
    """Whether the session's database is a Citus coordinator (asked once per engine)."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    engine = bind.engine
    if engine not in _CITUS:
        found = session.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")).first()
        _CITUS[engine] = found is not None
    return _CITUS[engine]


def begin_load(session: Session) -> None:
    """Call first in a bulk load's transaction. On Citus a read or COPY over many shards runs
    on several connections per node, after which the transaction may no longer change the
    tables' schema or a reference table (*cannot modify table … because there was a parallel
    operation on a distributed table in the transaction*): one connection per node lets the
    load read, copy, drop and rebuild its constraints, and write its batch row, in any order."""
    if on_citus(session):
        session.execute(text("SET LOCAL citus.multi_shard_modify_mode = 'sequential'"))


def analyze(session: Session, tables: Iterable[Any]) -> None:
    """Fresh planner statistics for tables that have just received many rows, at the end of the
    load's own transaction (ANALYZE samples the rows the transaction inserted, and its
    statistics commit with them; PostgreSQL only: SQLite plans without them). Until
    autovacuum comes by, the planner takes the new rows for a few and picks nested loops that
    run for minutes."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in tables:
        # A model or a Table: ANALYZE writes statistics and reads no row to anyone.
        name = table if isinstance(table, str) else getattr(table, "__tablename__", None) or table.name
        session.execute(text(f'ANALYZE "{name}"'))


__all__ = ["BATCH", "analyze", "begin_load", "copy_encoded", "copy_rows", "encode_binary", "on_citus", "pg_type"]
