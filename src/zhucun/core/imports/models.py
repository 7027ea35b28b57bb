"""Imports: one row per file imported (its batch), and the errors of a refused or checked file, so
that their report can be downloaded later in the reader's language. Messages are stored
rendered in both languages, with personal numbers already masked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKey, Index, Integer, String, Text, select, text
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import LOCAL, REFERENCE, Base, utcnow


class ImportBatch(Base):
    """One import of a file: who, when, the file's hash and the counts. A file of a kind is
    imported once: a second copy waits on the unique index and is then refused."""

    __tablename__ = "import_batches"
    __table_args__ = (
        Index(
            "uq_import_batches_done_file",
            "kind",
            "sha256",
            unique=True,
            postgresql_where=text("status = 'done'"),
            sqlite_where=text("status = 'done'"),
        ),
        {"info": {"distribution": REFERENCE}},
    )
    __scope_column__ = "division_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))  # done, rejected, checked (dry run)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    division_code: Mapped[str | None] = mapped_column(ForeignKey("divisions.code"))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    # Two counts of what the file held, named after the first kind; a kind says which of its
    # counts goes in which (``Kind.history``): a cadre file's cadres are in ``members``.
    households: Mapped[int] = mapped_column(Integer, default=0)
    members: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(150))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class ImportProblem(Base):
    """The errors of a refused or checked file. On Citus the table stays on the coordinator: it
    grows with every refused import, is read by import id alone, and as a reference table each
    row would be copied to every node."""

    __tablename__ = "import_problems"
    __table_args__ = {"info": {"distribution": LOCAL}}

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        """Seen with its batch: the problems name people and places of the batch's area."""
        return cls.import_id.in_(select(ImportBatch.id).where(scope.clause(ImportBatch)))

    import_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    row_number: Mapped[int | None] = mapped_column(Integer)
    column_letter: Mapped[str | None] = mapped_column(String(3))
    code: Mapped[str] = mapped_column(String(40))
    message_zh: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
