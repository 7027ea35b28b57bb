"""Reading the history of imports, always through the scope: a batch is seen by those
whose area holds its division."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from zhucun.core.i18n import current_locale
from zhucun.core.imports.models import ImportBatch, ImportProblem
from zhucun.core.pagination import keyset
from zhucun.core.scope import access

KINDS = ("members", "cadres")
STATUSES = ("done", "rejected", "checked")


def imports_statement(*, kind: str | None = None, status: str | None = None) -> Select[Any]:
    """The imports a history's filters leave, for a page of them and for their total."""
    statement = select(ImportBatch)
    if kind:
        statement = statement.where(ImportBatch.kind == kind)
    if status:
        statement = statement.where(ImportBatch.status == status)
    return statement


def list_imports(
    session: Session, *, kind: str | None = None, status: str | None = None, cursor: str | None = None, limit: int = 50
) -> tuple[list[ImportBatch], str | None]:
    """The newest imports first, a keyset page at a time."""
    statement = imports_statement(kind=kind, status=status)
    return keyset(
        session, statement, [ImportBatch.id], cursor=cursor, limit=limit, key=lambda b: [b.id], descending=True
    )


def access_import(session: Session, import_id: int) -> ImportBatch:
    """One import; 404 when missing or outside the scope."""
    return access(session, ImportBatch, import_id)


def problems(session: Session, batch: ImportBatch, limit: int | None = None) -> list[ImportProblem]:
    statement = select(ImportProblem).where(ImportProblem.import_id == batch.id).order_by(ImportProblem.seq)
    return list(session.scalars(statement.limit(limit) if limit else statement))


def problem_count(session: Session, batch: ImportBatch) -> int:
    return (
        session.scalar(select(func.count()).select_from(ImportProblem).where(ImportProblem.import_id == batch.id)) or 0
    )


def problem_dicts(rows: list[ImportProblem]) -> list[dict[str, Any]]:
    english = current_locale() == "en"
    return [
        {
            "row": p.row_number,
            "column": p.column_letter,
            "code": p.code,
            "message": p.message_en if english else p.message_zh,
        }
        for p in rows
    ]
