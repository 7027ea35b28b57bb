"""Reading uploaded tables: encoding and delimiter detection, header aliases, and errors
located as a spreadsheet shows them (the header is row 1, columns are letters).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from .errors import DomainError, Invalid, Rejected, column_letter
from .i18n import _l

ENCODINGS = ("utf-8-sig", "gb18030")
DELIMITERS = (",", "\t", ";")


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), else GBK/GB 18030
    as Chinese spreadsheets save it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid(_l("The file is neither UTF-8 nor GBK text."), row=1, code="bad_encoding")


def _delimiter(header: str) -> str:
    """The separator the header line uses most (outside quotes); a comma when it has none.

    Only the separator is guessed: csv.Sniffer also guesses the quoting from the header and
    then reads the doubled quotes of a quoted cell (RFC 4180) wrongly."""
    unquoted = re.sub(r'"[^"]*"', "", header)
    best = max(DELIMITERS, key=unquoted.count)
    return best if unquoted.count(best) else ","


def csv_rows(data: bytes) -> Iterator[list[str]]:
    """Rows of a CSV file as lists of stripped strings; a blank line is an empty row.

    Quoting is strict: an unbalanced quote is an error at the row where the broken record
    starts, rather than a cell that silently swallows the rest of the file."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text.split("\n", 1)[0]), strict=True)
    row = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise Invalid(
                _l(
                    "This row is not valid CSV: a quoted cell must end with a quote, and a quote "
                    "inside a cell is written twice."
                ),
                row=row,
                code="bad_csv",
            ) from None
        yield [cell.strip() for cell in cells]
        row += 1


@dataclass(frozen=True)
class Column:
    """A field a table may carry, with the header names it is known by."""

    field: str
    aliases: tuple[str, ...]
    required: bool = False


def _key(name: str) -> str:
    return name.strip().lower().replace(" ", "").replace("_", "").replace("（", "(").replace("）", ")")


@dataclass(frozen=True)
class Header:
    positions: dict[str, int]

    def letter(self, field: str) -> str | None:
        index = self.positions.get(field)
        return None if index is None else column_letter(index)

    def values(self, row: Sequence[str]) -> dict[str, str]:
        return {f: (row[i] if i < len(row) else "") for f, i in self.positions.items()}


def read_header(names: Sequence[str], columns: Sequence[Column]) -> Header:
    """Map the header row to fields; unknown, repeated or missing columns are located errors."""
    lookup: dict[str, str] = {}
    for column in columns:
        for alias in (column.field, *column.aliases):
            lookup[_key(alias)] = column.field
    positions: dict[str, int] = {}
    errors: list[DomainError] = []
    for index, name in enumerate(names):
        if not name.strip():
            continue
        field = lookup.get(_key(name))
        if field is None:
            errors.append(
                Invalid(
                    _l("Unknown column “{name}”."), row=1, column=column_letter(index), code="unknown_column", name=name
                )
            )
        elif field in positions:
            errors.append(
                Invalid(
                    _l("The column “{name}” appears twice."),
                    row=1,
                    column=column_letter(index),
                    code="duplicate_column",
                    name=name,
                )
            )
        else:
            positions[field] = index
    for column in columns:
        if column.required and column.field not in positions:
            errors.append(
                Invalid(
                    _l("The required column “{name}” is missing."),
                    row=1,
                    code="missing_column",
                    name=column.aliases[0] if column.aliases else column.field,
                )
            )
    if errors:
        raise Rejected(errors)
    return Header(positions)


def parse_bool(value: str) -> bool | None:
    """是/否, Y/N, 1/0, true/false; empty is None; anything else raises ValueError."""
    folded = value.strip().lower()
    if folded in ("", "-"):
        return None
    if folded in ("1", "是", "y", "yes", "true", "t", "√", "✓"):
        return True
    if folded in ("0", "否", "n", "no", "false", "f", "×"):
        return False
    raise ValueError(value)


def first_errors(errors: list[DomainError], limit: int = 1000) -> list[DomainError]:
    return errors[:limit]


def aliases_table(columns: Sequence[Column]) -> Mapping[str, tuple[str, ...]]:
    return {c.field: c.aliases for c in columns}
