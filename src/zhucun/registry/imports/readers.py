"""Reading an import file into parsed columns: CSV decoded and split as a stream (UTF-8 or
GBK; comma, tab or semicolon), .xlsx through calamine, each chunk of rows handed to the
columns' parsers (cells.py) at once. Blank rows are skipped and every row keeps the number
a spreadsheet shows for it (the header is row 1)."""

from __future__ import annotations

import codecs
import csv
import io
import operator
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import Any

import numpy as np
import python_calamine

from ...core.errors import Invalid, column_letter
from ...core.i18n import _l
from ...core.tabular import Column as HeaderColumn
from ...core.tabular import read_header
from .cells import Column, as_text
from .files import CSV, FileInfo, Source

# Rows per chunk: small enough that a chunk's cells are still in cache when parsed.
CHUNK = 1024
SAMPLE = 64 * 1024
# Columns clerks keep in their sheets that carry nothing to import.
IGNORED = (HeaderColumn("_serial", ("序号", "no.")), HeaderColumn("_remark", ("备注", "remarks", "note")))


@dataclass
class Table:
    """The parsed columns of the fields a file carries."""

    columns: dict[str, Column]
    letters: dict[str, str]
    rows: np.ndarray  # the spreadsheet row of each data row
    stray: list[tuple[int, str]] = field(default_factory=list)  # (row, letter) of cells without a header

    def __len__(self) -> int:
        return len(self.rows)

    def values(self, name: str) -> list[Any] | None:
        column = self.columns.get(name)
        return None if column is None else column.values


def read_table(source: Source, info: FileInfo, headers: Sequence[HeaderColumn],
               column_for: Callable[[str], Column]) -> Table:
    """Read and parse the whole file; header errors are raised at once (Rejected), before any cell."""
    with csv_rows(source) if info.kind == CSV else xlsx_rows(source) as rows:
        names = next(_located(rows, 1), None)
        if names is None:
            raise Invalid(_l("The file has no header row."), row=1, code="no_header")
        names = [as_text(name) for name in names]
        header = read_header(names, [*headers, *IGNORED])
        wanted = {f: i for f, i in header.positions.items() if not f.startswith("_")}
        table = _gather(rows, {name: (index, column_for(name)) for name, index in wanted.items()}, len(names))
    if not len(table):
        raise Invalid(_l("The file has a header but no data rows."), row=2, code="no_rows")
    return table


def _located(rows: Iterator[list[Any]], size: int) -> Iterator[list[Any]]:
    """A chunk of rows; a decoding or quoting error is located at the reader's line."""
    try:
        return iter(list(islice(rows, size)))
    except UnicodeDecodeError:
        raise Invalid(_l("The file is neither UTF-8 nor GBK text."), row=getattr(rows, "line_num", 0) + 1,
                      code="bad_encoding") from None
    except csv.Error as exc:
        raise Invalid(_l("The file is not valid CSV: {problem}"), row=getattr(rows, "line_num", None),
                      code="bad_csv", problem=str(exc)) from None


def _gather(rows: Iterator[list[Any]], wanted: dict[str, tuple[int, Column]], width: int) -> Table:
    numbers: list[np.ndarray] = []
    stray: list[tuple[int, str]] = []
    first = 2
    while chunk := list(_located(rows, CHUNK)):
        lengths = np.fromiter(map(len, chunk), np.int64, len(chunk))
        keep = _not_blank(chunk)
        number = np.arange(first, first + len(chunk))
        first += len(chunk)
        if not keep.all():
            chunk = [row for row, kept in zip(chunk, keep.tolist()) if kept]
            number, lengths = number[keep], lengths[keep]
        if not chunk:
            continue
        if not (lengths.min() == lengths.max() == width):
            chunk = _fit(chunk, number, width, stray)
        numbers.append(number)
        cells = list(zip(*chunk))
        for index, column in wanted.values():
            column.feed(cells[index])
    columns = {name: column for name, (_, column) in wanted.items()}
    letters = {name: column_letter(index) for name, (index, _) in wanted.items()}
    return Table(columns, letters, np.concatenate(numbers) if numbers else np.zeros(0, np.int64), stray)


def _not_blank(chunk: list[list[Any]]) -> np.ndarray:
    """Rows with a non-empty cell (a blank CSV line is an empty row). Only rows whose first
    cell is empty need looking at: in a real file that is almost none of them."""
    first_empty = np.fromiter(map(operator.not_, map(next, map(iter, chunk), repeat(""))), bool, len(chunk))
    keep = np.ones(len(chunk), bool)
    for i in np.flatnonzero(first_empty).tolist():
        keep[i] = chunk[i].count("") != len(chunk[i])
    return keep


def _fit(chunk: list[list[Any]], numbers: np.ndarray, width: int, stray: list[tuple[int, str]]) -> list[list[Any]]:
    """Every row exactly as wide as the header: short rows padded, cells past the header noted."""
    fitted = []
    for row, number in zip(chunk, numbers.tolist()):
        if len(row) > width:
            stray += [(number, column_letter(i)) for i in range(width, len(row)) if as_text(row[i])]
            row = row[:width]
        fitted.append(row + [""] * (width - len(row)) if len(row) < width else row)
    return fitted


# --- CSV ------------------------------------------------------------------------------

@contextmanager
def csv_rows(source: Source) -> Iterator[Iterator[list[str]]]:
    """The csv module's own iterator (no Python code runs per row), over the decoded stream."""
    stream = source.rewind()
    head = stream.read(SAMPLE)
    encoding = _encoding(head)
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        yield csv.reader(text, _dialect(head.decode(encoding, errors="ignore")))
    finally:
        text.detach()  # the caller owns the file: closing the wrapper must not close it


def _encoding(head: bytes) -> str:
    """UTF-8 (with or without BOM) when the start decodes so, else GB 18030 (which covers GBK)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8-sig"


def _dialect(sample: str) -> type[csv.Dialect]:
    line = sample.split("\n", 1)[0]
    delimiter = max(",\t;", key=line.count)
    return {",": csv.excel, "\t": csv.excel_tab}.get(delimiter) or _semicolon()


def _semicolon() -> type[csv.Dialect]:
    class Semicolon(csv.excel):
        delimiter = ";"

    return Semicolon


# --- xlsx -----------------------------------------------------------------------------

@contextmanager
def xlsx_rows(source: Source) -> Iterator[Iterator[list[Any]]]:
    """Rows of the first sheet (the templates put the explanation on the second)."""
    try:
        if source.path is not None:
            book = python_calamine.CalamineWorkbook.from_path(str(source.path))
        else:
            book = python_calamine.CalamineWorkbook.from_filelike(source.rewind())
        with book:
            yield book.get_sheet_by_index(0).iter_rows()
    except python_calamine.CalamineError as exc:
        raise Invalid(_l("The workbook cannot be read: {problem}"), code="bad_workbook", problem=str(exc)) from None
