"""Parsing cells column by column while a file is read, a chunk of rows at a time.

A million rows hold only a few thousand distinct dates, codes or amounts, so a column
parses each distinct raw value once and maps the chunk through that memo. Doing it while
the chunk's cells are fresh in the processor's cache matters more than anything else
here: a second pass over a million scattered strings costs more than the parsing. The
parsed values are shared objects, so every later check over them stays cheap.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from zhucun.core.imports.columns import Catalogue
from zhucun.core.tabular import parse_bool

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月?)(?:[ T]0?0:00(?::00)?)?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SEPARATORS = re.compile(r"[、,，;；/|\s]+")
_NUMBER_NOISE = re.compile(r"[\s\-()（）]")
CENT = Decimal("0.01")


def as_text(value: Any) -> str:
    """A cell as the text a clerk sees in it (workbook cells may be numbers or dates)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        # Excel keeps 15 digits: a longer number (an ID typed as a number) has lost digits.
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value)


def _texts(cells: Sequence[Any]) -> list[str]:
    if set(map(type, cells)) <= {str}:
        return list(map(str.strip, cells))
    return [as_text(cell) for cell in cells]


@dataclass
class Cells:
    """One column of a chunk of rows, parsed: unparseable cells are None, located in ``bad``
    (positions in the chunk) with their text in ``raw`` (for the message)."""

    values: list[Any]
    bad: list[int] = field(default_factory=list)
    raw: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.values)

    @classmethod
    def joined(cls, parts: Sequence[Cells]) -> Cells:
        joined, offset = cls([]), 0
        for part in parts:
            joined.values.extend(part.values)
            joined.bad.extend(offset + i for i in part.bad)
            joined.raw.update((offset + i, text) for i, text in part.raw.items())
            offset += len(part)
        return joined

    def cut(self, start: int, stop: int) -> Cells:
        return Cells(
            self.values[start:stop],
            [i - start for i in self.bad if start <= i < stop],
            {i - start: t for i, t in self.raw.items() if start <= i < stop},
        )


class Column:
    """The parser of one column, kept for the whole file (its memo grows as it reads)."""

    def parse(self, cells: Sequence[Any]) -> Cells:
        raise NotImplementedError


class Texts(Column):
    """Text kept as written (stripped): names, addresses, ID numbers; empty cells are ""."""

    def parse(self, cells: Sequence[Any]) -> Cells:
        return Cells(_texts(cells))


class Memo(Column):
    """Values with few distinct texts: each distinct raw cell is parsed once."""

    def __init__(self, parse: Callable[[str], Any]):
        self.parse_text = parse
        self.memo: dict[Any, Any] = {"": None}
        self.failed: set[Any] = set()

    def parse(self, cells: Sequence[Any]) -> Cells:
        memo = self.memo
        try:
            values = list(map(memo.__getitem__, cells))  # once the memo is warm, one pass is all
        except KeyError:
            for cell in set(cells).difference(memo):
                memo[cell] = self._parsed(cell)
            values = list(map(memo.__getitem__, cells))
        if not self.failed:
            return Cells(values)
        positions = [i for i, cell in enumerate(cells) if cell in self.failed]
        return Cells(values, positions, {i: as_text(cells[i]) for i in positions})

    def _parsed(self, cell: Any) -> Any:
        text = as_text(cell)
        if not text:
            return None
        try:
            return self.parse_text(text)
        except (ValueError, ArithmeticError):
            self.failed.add(cell)
            return None


class Each(Column):
    """Values that are nearly all distinct (phones, bank accounts), parsed cell by cell."""

    def __init__(self, parse: Callable[[str], Any]):
        self.parse_text = parse

    def parse(self, cells: Sequence[Any]) -> Cells:
        parse, parsed = self.parse_text, Cells([])
        for i, text in enumerate(_texts(cells)):
            try:
                parsed.values.append(parse(text) if text else None)
            except ValueError:
                parsed.values.append(None)
                parsed.bad.append(i)
                parsed.raw[i] = text
        return parsed


def code_parser(catalogue: Catalogue) -> Callable[[str], str]:
    def parse(text: str) -> str:
        code = catalogue.code_for(text)
        if code is None:
            raise ValueError(text)
        return code

    return parse


def codes_parser(catalogue: Catalogue, limit: int = 40) -> Callable[[str], str]:
    """Several codes in one cell (其他致贫原因), kept as "01,03"."""
    one = code_parser(catalogue)

    def parse(text: str) -> str:
        codes = list(dict.fromkeys(one(part) for part in _SEPARATORS.split(text) if part))
        joined = ",".join(codes)
        if not codes or len(joined) > limit:
            raise ValueError(text)
        return joined

    return parse


def parse_date(text: str) -> dt.date:
    """1980-05-17, 1980/5/17, 1980.05.17, 19800517, 1980年5月17日; a month alone means its first day."""
    match = _DATE.fullmatch(text) or _COMPACT_DATE.fullmatch(text)
    if not match:
        raise ValueError(text)
    year, month, day = match.groups()
    return dt.date(int(year), int(month), int(day or 1))


def int_parser(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        number = Decimal(text.replace(",", ""))
        if number != number.to_integral_value() or not low <= number <= high:
            raise ValueError(text)
        return int(number)

    return parse


def decimal_parser(high: Decimal) -> Callable[[str], Decimal]:
    """An amount of at least 0, in yuan or mu, rounded to cents (Excel's floats carry noise)."""

    def parse(text: str) -> Decimal:
        try:
            number = Decimal(text.replace(",", "").removesuffix("元").removeprefix("¥").strip())
        except InvalidOperation:
            raise ValueError(text) from None
        if not number.is_finite() or not Decimal(0) <= number < high:
            raise ValueError(text)
        return number.quantize(CENT, rounding=ROUND_HALF_UP)

    return parse


def parse_phone(text: str) -> str:
    if text.isdigit() and 7 <= len(text) <= 12 and text.isascii():
        return text
    digits = _NUMBER_NOISE.sub("", text).removeprefix("+86")
    if not (digits.isascii() and digits.isdigit() and 7 <= len(digits) <= 12):
        raise ValueError(text)
    return digits


def parse_bank(text: str) -> str:
    digits = text if text.isdigit() else _NUMBER_NOISE.sub("", text)
    if not (digits.isascii() and digits.isdigit() and 10 <= len(digits) <= 30):
        raise ValueError(text)
    return digits


def parse_group(text: str) -> int | str:
    """A group number (3, 3组, 第3组) as an int; anything else is a group's name."""
    number = text.removeprefix("第").removesuffix("村民小组").removesuffix("组")
    return int(number) if number.isascii() and number.isdigit() else text


def same(text: str) -> str:
    """Codes looked up later against the database: kept as text, stripped and shared."""
    return text


__all__ = [
    "Column",
    "Each",
    "Memo",
    "Texts",
    "as_text",
    "code_parser",
    "codes_parser",
    "decimal_parser",
    "int_parser",
    "parse_bank",
    "parse_bool",
    "parse_date",
    "parse_group",
    "parse_phone",
    "same",
]
