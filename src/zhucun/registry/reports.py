"""Registry reports leaving the system: the audit entry of an export, and files written by the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..core import audit
from ..core.deps import Ctx
from ..core.export import Column, csv_chunks, write_xlsx
from .history import Tag


def record_export(ctx: Ctx, what: str, filters: dict[str, Any]) -> None:
    """An audit entry for an export, committed before the file is streamed."""
    audit.record(ctx.session, actor=ctx.actor, action=Tag.EXPORTED, entity=what, division=ctx.principal.division_code,
                 after={"filters": {k: v for k, v in filters.items() if v not in (None, "")}, "unmasked": False})
    ctx.session.commit()


def write_file(path: Path, columns: Sequence[Column], rows: Iterable[Any]) -> None:
    """A report written where an operator asks: Excel for .xlsx, CSV (UTF-8 with BOM) otherwise."""
    if path.suffix.lower() == ".xlsx":
        write_xlsx(str(path), columns, rows)
        return
    with path.open("wb") as out:
        for chunk in csv_chunks(columns, rows):
            out.write(chunk)
