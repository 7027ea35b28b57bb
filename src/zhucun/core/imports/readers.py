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

from zhucun.core.errors import Invalid, column_letter
from zhucun.core.i18n import _l
from zhucun.core.imports.cells import Cells, Column, as_text
from zhucun.core.imports.files import CSV, FileInfo, Source
from zhucun.core.tabular import Column as HeaderColumn
from zhucun.core.tabular import read_header

# Rows per chunk: small enough that a chunk's cells are still in cache when parsed.
CHUNK = 512
SAMPLE = 64 * 1024
# A row, and a cell, that no clerk's sheet reaches: past them a file is refused where it
# goes wrong, before its cells are split, so that memory stays a small multiple of a row
# whatever the file holds (one CSV line of millions of cells once grew memory 75 times the
# file's size).
MAX_ROW_CHARS = 256 * 1024
MAX_CELL_CHARS = 32 * 1024
# Cells a row may have past the header's width (notes clerks leave beside the table).
MAX_EXTRA_CELLS = 50
# Columns clerks keep in their sheets that carry nothing to import.
IGNORED = (HeaderColumn("_serial", ("序号", "no.")), HeaderColumn("_remark", ("备注", "remarks", "note")))


@dataclass
class Table:
    """The parsed columns of a run of rows (a chunk, a batch or the whole file)."""

    columns: dict[str, Cells]
    letters: dict[str, str]
    rows: np.ndarray  # the spreadsheet row of each data row
    stray: list[tuple[int, str]] = field(default_factory=list)  # (row, letter) of cells without a header

    def __len__(self) -> int:
        return len(self.rows)

    def values(self, name: str) -> list[Any] | None:
        column = self.columns.get(name)
        return None if column is None else column.values

    @classmethod
    def joined(cls, parts: Sequence[Table]) -> Table:
        first = parts[0]
        return cls(
            {name: Cells.joined([p.columns[name] for p in parts]) for name in first.columns},
            first.letters,
            np.concatenate([p.rows for p in parts]),
            [s for p in parts for s in p.stray],
        )

    def cut(self, start: int, stop: int) -> Table:
        low, high = (
            (int(self.rows[start]) if start < len(self) else 0),
            (int(self.rows[stop - 1]) if 0 < stop <= len(self) else 0),
        )
        return Table(
            {name: cells.cut(start, stop) for name, cells in self.columns.items()},
            self.letters,
            self.rows[start:stop],
            [(r, c) for r, c in self.stray if low <= r <= high],
        )


@contextmanager
def chunks(
    source: Source, info: FileInfo, headers: Sequence[HeaderColumn], column_for: Callable[[str], Column]
) -> Iterator[Iterator[Table]]:
    """The file's rows as parsed chunks; header errors are raised at once (Rejected), before any cell."""
    with csv_rows(source) if info.kind == CSV else xlsx_rows(source) as rows:
        names = next(_located(rows, 1), None)
        if names is None:
            raise Invalid(_l("The file has no header row."), row=1, code="no_header")
        names = [as_text(name) for name in names]
        header = read_header(names, [*headers, *IGNORED])
        rows = _Bounded(rows, len(names) + MAX_EXTRA_CELLS)
        wanted = {f: (i, column_for(f)) for f, i in header.positions.items() if not f.startswith("_")}
        yield _chunks(rows, wanted, len(names))


def read_table(
    source: Source, info: FileInfo, headers: Sequence[HeaderColumn], column_for: Callable[[str], Column]
) -> Table:
    """The whole file as one table."""
    with chunks(source, info, headers, column_for) as parts:
        return whole(list(parts))


def whole(parts: list[Table]) -> Table:
    if not parts:
        raise no_rows()
    return Table.joined(parts)


def no_rows() -> Invalid:
    return Invalid(_l("The file has a header but no data rows."), row=2, code="no_rows")


def _located(rows: Iterator[list[Any]], size: int) -> Iterator[list[Any]]:
    """A chunk of rows; a quoting error, or a cell too long, is located at the reader's line."""
    try:
        return iter(list(islice(rows, size)))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise Invalid(
                _l("A cell is longer than {limit} characters."),
                row=getattr(rows, "line_num", None),
                code="cell_too_long",
                limit=MAX_CELL_CHARS,
            ) from None
        raise Invalid(
            _l("The file is not valid CSV: {problem}"),
            row=getattr(rows, "line_num", None),
            code="bad_csv",
            problem=str(exc),
        ) from None


def _chunks(rows: Iterator[list[Any]], wanted: dict[str, tuple[int, Column]], width: int) -> Iterator[Table]:
    letters = {name: column_letter(index) for name, (index, _) in wanted.items()}
    first = 2
    while chunk := list(_located(rows, CHUNK)):
        stray: list[tuple[int, str]] = []
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
        cells = list(zip(*chunk))
        yield Table(
            {name: column.parse(cells[index]) for name, (index, column) in wanted.items()}, letters, number, stray
        )


class _Bounded:
    """Rows of at most ``cells`` cells; a wider one is refused where it is. Keeps the CSV
    reader's line number for the messages of the rows that follow."""

    def __init__(self, rows: Iterator[list[Any]], cells: int):
        self.rows, self.cells, self.number = rows, cells, 1

    def __iter__(self) -> _Bounded:
        return self

    @property
    def line_num(self) -> int | None:
        return getattr(self.rows, "line_num", None)

    def __next__(self) -> list[Any]:
        row = next(self.rows)
        self.number += 1
        if len(row) > self.cells:
            raise Invalid(
                _l("Row {row} has {count} cells, more than the {limit} a row of this table may have."),
                row=self.line_num or self.number,
                column=column_letter(self.cells),
                code="row_too_wide",
                count=len(row),
                limit=self.cells,
            )
        return row


class _Lines:
    """The decoded text line by line, each at most ``limit`` characters (a line past that is
    refused with its number before the CSV reader splits it into cells)."""

    def __init__(self, text: io.TextIOBase, limit: int):
        self.text, self.limit, self.number = text, limit, 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.text.readline(self.limit + 1)
        if not line:
            raise StopIteration
        self.number += 1
        if len(line) > self.limit:
            raise Invalid(
                _l("Line {line} of the file is longer than {limit} characters: it cannot be a row of the table."),
                row=self.number,
                code="row_too_long",
                line=self.number,
                limit=self.limit,
            )
        return line


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
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        yield csv.reader(_Lines(text, MAX_ROW_CHARS), _dialect(head.decode(encoding, errors="ignore")))
    except UnicodeDecodeError:
        raise Invalid(
            _l("The file is neither UTF-8 nor GBK text."), row=_undecodable_line(source, encoding), code="bad_encoding"
        ) from None
    finally:
        text.detach()  # the caller owns the file: closing the wrapper must not close it


def _undecodable_line(source: Source, encoding: str) -> int:
    """The first line that does not decode (the text reader decodes ahead of the rows it gives)."""
    decoder, number = codecs.getincrementaldecoder(encoding)(), 0
    for number, line in enumerate(source.rewind(), start=1):
        try:
            decoder.decode(line)
        except UnicodeDecodeError:
            return number
    return number


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
