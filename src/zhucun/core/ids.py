"""Allocating ids for tables whose primary key is (county_code, id).

Ids are unique per table across all counties, so an id alone finds a row. A block of ids
is allocated at once for bulk loads: on PostgreSQL by the ``zhucun_allocate`` function (a
sequence advanced under a short advisory lock, so that blocks never overlap and the lock
is not held for the rest of a long import; created by migration 20261123_0002, and changed
only by a later migration); on SQLite from a counter table, which is safe because SQLite
writers are serialised.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import LOCAL, Base


class IdCounter(Base):
    """SQLite's stand-in for sequences."""

    __tablename__ = "id_counters"
    __table_args__ = {"info": {"distribution": LOCAL}}
    __unscoped__ = "the id allocator's counters: one per table, no area's rows"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    next_id: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[int] = mapped_column(Integer, default=0)


def sequence_name(table: str) -> str:
    return f"{table}_id_seq"


def allocate(session: Session, table: str, count: int = 1) -> int:
    """Reserve ``count`` consecutive ids for ``table``; returns the first."""
    if count < 1:
        raise ValueError("count must be positive")
    if session.get_bind().dialect.name == "postgresql":
        first = session.execute(
            text("SELECT zhucun_allocate(CAST(:s AS regclass), :n)"), {"s": sequence_name(table), "n": count}
        ).scalar_one()
        return int(first)
    row = session.execute(
        text("UPDATE id_counters SET next_id = next_id + :n WHERE name = :t RETURNING next_id - :n"),
        {"n": count, "t": table},
    ).first()
    if row is not None:
        return int(row[0])
    session.execute(
        text("INSERT INTO id_counters (name, next_id, version) VALUES (:t, :next, 0)"), {"t": table, "next": count + 1}
    )
    return 1
