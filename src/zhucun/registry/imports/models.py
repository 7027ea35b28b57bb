"""What an import keeps besides its batch row: the errors of a refused or checked file, so
that their report can be downloaded later in the reader's language. Messages are stored
rendered in both languages, with personal numbers already masked.

On Citus the table stays on the coordinator: it grows with every refused import, is read
by import id alone, and as a reference table each row would be copied to every node."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db import LOCAL, Base


class ImportProblem(Base):
    __tablename__ = "import_problems"
    __table_args__ = {"info": {"distribution": LOCAL}}

    import_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    row_number: Mapped[int | None] = mapped_column(Integer)
    column_letter: Mapped[str | None] = mapped_column(String(3))
    code: Mapped[str] = mapped_column(String(40))
    message_zh: Mapped[str] = mapped_column(Text)
    message_en: Mapped[str] = mapped_column(Text)
