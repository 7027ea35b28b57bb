"""Registry reports leaving the system: files written by the CLI."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..core.export import Column, csv_chunks, write_xlsx


def write_file(path: Path, columns: Sequence[Column], rows: Iterable[Any]) -> None:
    """A report written where an operator asks: Excel for .xlsx, CSV (UTF-8 with BOM) otherwise."""
    if path.suffix.lower() == ".xlsx":
        write_xlsx(str(path), columns, rows)
        return
    with path.open("wb") as out:
        for chunk in csv_chunks(columns, rows):
            out.write(chunk)
