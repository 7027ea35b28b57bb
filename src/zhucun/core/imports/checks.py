"""Checking the columns of a file by the kind of their field: pure functions over whole
columns, shared by the member and the cadre files. Errors name the value (masked when it
is a personal number) and are located by row and column letter."""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from itertools import repeat
from typing import Any, cast

import numpy as np

from zhucun.core import idnumbers
from zhucun.core.codes import is_code
from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l
from zhucun.core.imports import cells
from zhucun.core.imports.columns import (
    BANK,
    BOOL,
    CODE,
    CODES,
    DATE,
    DIVISION,
    GROUP,
    ID,
    INT,
    MONEY,
    MU,
    PHONE,
    PLACE,
    TEXT,
    UNIT,
    VILLAGE,
    Field,
)
from zhucun.core.imports.problems import Problems, shorten
from zhucun.core.imports.readers import Table
from zhucun.core.protect import mask_bank, mask_phone

HIGH = {MONEY: Decimal("1e12"), MU: Decimal("1e8")}
BAD_VALUE = {
    CODE: _l("“{value}” is not one of the codes or labels of {header}."),
    CODES: _l("“{value}” is not one of the codes or labels of {header}."),
    DATE: _l("“{value}” is not a date; write it as 1980-05-17."),
    INT: _l("“{value}” is not a whole number from {low} to {high}."),
    MONEY: _l("“{value}” is not an amount of at least 0."),
    MU: _l("“{value}” is not an area of at least 0."),
    BOOL: _l("“{value}” is neither 是 nor 否."),
    PHONE: _l("“{value}” is not a phone number."),
    BANK: _l("“{value}” is not a bank account number of 10 to 30 digits."),
}
MISSING = _l("{header} is missing.")
TOO_LONG = _l("“{value}” is longer than {limit} characters.")
FUTURE = _l("The date {value} is in the future.")
NOT_A_CODE = _l("“{value}” is not a 12-digit division code.")
UNKNOWN_PLACE = _l("The division {value} does not exist or lies outside your area.")
NOT_A_VILLAGE = _l("{value} is not a village but a {level}.")
TOO_HIGH = _l("{value} is not a village, a township or a county.")
MASKS: dict[str, Callable[[str], str | None]] = {PHONE: mask_phone, BANK: mask_bank}
LOOKED_UP = {DIVISION, PLACE, VILLAGE, UNIT, GROUP, ID}  # checked against facts, or by their own rules


def column_for(f: Field) -> cells.Column:
    """The parser that builds a field's column while the file is read."""
    if f.kind in (TEXT, ID):
        return cells.Texts()
    if f.kind in (PHONE, BANK):
        return cells.Each(cells.parse_phone if f.kind == PHONE else cells.parse_bank)
    if f.kind in (VILLAGE, PLACE, DIVISION, UNIT):
        return cells.Memo(cells.same)
    if f.kind == GROUP:
        return cells.Memo(cells.parse_group)
    if f.kind in (CODE, CODES):
        maker = cells.code_parser if f.kind == CODE else cells.codes_parser
        return cells.Memo(maker(f.catalogue))  # type: ignore[arg-type]
    if f.kind == INT:
        return cells.Memo(cells.int_parser(f.low, f.limit or 10**9))
    if f.kind in HIGH:
        return cells.Memo(cells.decimal_parser(HIGH[f.kind]))
    return cells.Memo({DATE: cells.parse_date, BOOL: cells.parse_bool}[f.kind])


@dataclass
class Divisions:
    """The divisions a file names, looked up once: code → level, and what the scope covers."""

    levels: dict[str, str] = field(default_factory=dict)
    covers: Callable[[str], bool] = lambda code: True


@dataclass
class Ledger:
    """What the checks carry from one batch of a file to the next."""

    problems: Problems
    first_rows: dict[str, int] = field(default_factory=dict)  # ID number → the row it first appeared in
    # Remarks that do not refuse the file (a valid number whose holder would be 130 years old).
    notes: Problems = field(default_factory=Problems)
    max_age: int = idnumbers.MAX_AGE
    households: set[str] = field(default_factory=set)  # household numbers of the batches before


@dataclass
class Context:
    table: Table
    ledger: Ledger
    today: dt.date

    @property
    def problems(self) -> Problems:
        return self.ledger.problems

    def letter(self, f: Field) -> str | None:
        return self.table.letters.get(f.name)


STRAY = _l("This cell has a value but its column has no header.")


def check_stray(ctx: Context) -> None:
    for row, letter in ctx.table.stray:
        ctx.problems.add(Invalid(STRAY, row=row, column=letter, code="no_header"))


def check_field(ctx: Context, f: Field) -> list[Any] | None:
    """The parsed column of a field the file carries (None where empty); errors noted."""
    column = ctx.table.columns.get(f.name)
    if column is None:
        return None
    if column.bad:
        _bad_values(ctx, f, column)
    if f.kind in (TEXT, ID):
        return _texts(ctx, f, column.values)
    if f.required:
        absent = np.fromiter(map(operator.is_, column.values, repeat(None)), bool, len(column))
        absent[column.bad] = False
        _missing(ctx, f, np.flatnonzero(absent))
    if f.kind == DATE:
        _future(ctx, f, column.values)
    return column.values


def _missing(ctx: Context, f: Field, positions: np.ndarray) -> None:
    ctx.problems.at(positions, ctx.table.rows, ctx.letter(f), "missing", lambda i: (MISSING, {"header": f.header}))


def _texts(ctx: Context, f: Field, texts: list[str]) -> list[Any]:
    lengths = np.fromiter(map(len, texts), np.int64, len(texts))
    if f.required:
        _missing(ctx, f, np.flatnonzero(lengths == 0))
    if f.limit:
        ctx.problems.at(
            np.flatnonzero(lengths > f.limit),
            ctx.table.rows,
            ctx.letter(f),
            "too_long",
            lambda i: (TOO_LONG, {"value": shorten(texts[i]), "limit": f.limit}),
        )
    return texts if f.required else [text or None for text in texts]


def _bad_values(ctx: Context, f: Field, column: cells.Cells) -> None:
    mask = MASKS.get(f.kind, shorten)
    params = {"header": f.header, "low": f.low, "high": f.limit}
    ctx.problems.at(
        np.array(column.bad, np.int64),
        ctx.table.rows,
        ctx.letter(f),
        f"bad_{f.kind}",
        lambda i: (BAD_VALUE[f.kind], {**params, "value": mask(column.raw[i]) or ""}),
    )


def _future(ctx: Context, f: Field, values: list[Any]) -> None:
    distinct = set(values)
    distinct.discard(None)
    if not distinct or max(distinct) <= ctx.today:
        return
    ahead = {value for value in distinct if value > ctx.today}
    positions = np.flatnonzero(np.fromiter(map(ahead.__contains__, values), bool, len(values)))
    ctx.problems.at(
        positions, ctx.table.rows, ctx.letter(f), "future_date", lambda i: (FUTURE, {"value": values[i].isoformat()})
    )


# --- ID numbers -------------------------------------------------------------------------

ID_AS_NUMBER = _l(
    "The ID number was stored as a number in Excel and has lost its last digits; format the column "
    "as text and type the number again."
)
ID_INVALID = _l("ID number {value}: {reason}")
AGE_NOTE = _l("ID number {value} (imported): {warning}")
BIRTH_MISMATCH = _l("The birth date {value} differs from the one in the ID number ({expected}).")
TWICE = _l("The ID number {value} appears twice in the file (first in row {first}).")
REGISTERED = _l("The person with ID number {value} is already registered in this county.")


@dataclass
class Ids:
    """A column of ID numbers, checked: the 18-character forms (None where invalid) and the
    birth date each carries as YYYYMMDD (0 where invalid)."""

    numbers: list[str | None]
    born: np.ndarray


GENDER_CODES: dict[str | None, int] = {"1": 1, "2": 2}


def check_ids(ctx: Context, f: Field, genders: list[str | None] | None) -> Ids:
    """Every rule of GB 11643, and the gender column agreeing with the number's own."""
    # An optional ID column has empty cells (None): they are absent numbers, not bad ones.
    texts = [text or "" for text in check_field(ctx, f) or []]
    normalized, reasons = idnumbers.check_many(texts, today=ctx.today)
    digits = (
        np.array([n if r is None else "0" * 18 for n, r in zip(normalized, reasons)], dtype="<U18")
        .view(np.uint32)
        .reshape(-1, 18)
    )
    failed = np.fromiter(map(bool, reasons), bool, len(reasons))
    if genders is not None:  # the number's 17th digit is odd for a man (numpy does what check_many would)
        gender_code: Callable[[str | None, int], int] = GENDER_CODES.get  # picks dict.get's overload
        wanted = np.fromiter(map(gender_code, genders, repeat(0)), np.int64, len(genders))
        failed |= (wanted != 0) & (wanted != np.where(digits[:, 16] % 2 == 1, 1, 2))
    present = np.fromiter(map(len, texts), np.int64, len(texts)) > 0  # an empty cell is reported as missing
    ctx.problems.at(
        np.flatnonzero(failed & present),
        ctx.table.rows,
        ctx.letter(f),
        "bad_id",
        lambda i: _id_message(texts[i], genders[i] if genders else None, ctx.today),
    )
    invalid = failed | ~present
    for i in np.flatnonzero(invalid).tolist():
        normalized[i] = None
    _note_ages(ctx, f, normalized)
    born = (digits[:, 6:14].astype(np.int64) - ord("0")) @ (10 ** np.arange(7, -1, -1, dtype=np.int64))
    return Ids(normalized, np.where(invalid, 0, born))


def _note_ages(ctx: Context, f: Field, numbers: list[str | None]) -> None:
    """A valid number with an implausible birth date is imported, with a note for the clerk."""
    codes = idnumbers.age_warnings(numbers, today=ctx.today, max_age=ctx.ledger.max_age)
    for code in idnumbers.WARNING_CODES:
        ctx.ledger.notes.at(
            np.flatnonzero(np.array([c == code for c in codes], bool)),
            ctx.table.rows,
            ctx.letter(f),
            code,
            partial(_age_note, code, numbers, ctx),
        )


def _age_note(code: str, numbers: list[str | None], ctx: Context, i: int) -> tuple[Any, dict[str, Any]]:
    number = numbers[i]
    assert number is not None  # only a valid number has a warning
    warning = idnumbers.age_warning(number, ctx.today, ctx.ledger.max_age)
    assert warning is not None and warning[0] == code
    return AGE_NOTE, {"value": idnumbers.mask(number), "warning": idnumbers.warning_text(*warning)}


def _id_message(text: str, gender: str | None, today: dt.date) -> tuple[Any, dict[str, Any]]:
    if "e+" in text.lower() and text[:1].isdigit():
        return ID_AS_NUMBER, {}
    result = idnumbers.check(text, gender=gender, today=today)
    return ID_INVALID, {"value": idnumbers.mask(text), "reason": result.reason}


def check_birth_dates(ctx: Context, f: Field, births: list[dt.date | None] | None, ids: Ids) -> list[dt.date | None]:
    """Birth dates as given, which must equal the ID's; taken from the ID where none is given."""
    from_id = ids.born
    as_int: dict[dt.date | None, int] = {
        value: value.year * 10000 + value.month * 100 + value.day for value in set(births or ()) if value
    }
    count = len(from_id)
    date_int: Callable[[dt.date | None, int], int] = as_int.get  # picks dict.get's overload
    given = np.fromiter(map(date_int, births, repeat(0)), np.int64, count) if births else np.zeros(count, np.int64)
    wrong = np.flatnonzero((given > 0) & (from_id > 0) & (given != from_id))
    ctx.problems.at(
        wrong,
        ctx.table.rows,
        ctx.letter(f),
        "birth_date_mismatch",
        lambda i: (
            BIRTH_MISMATCH,
            {
                "value": _date(int(given[i])).isoformat(),  # the date given, read back from its number
                "expected": _date(int(from_id[i])).isoformat(),
            },
        ),
    )
    chosen = np.where(given > 0, given, from_id)
    dates = {value: _date(value) for value in set(chosen.tolist()) if value}
    return list(map(dates.get, chosen.tolist()))


def _date(yyyymmdd: int) -> dt.date:
    return dt.date(yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100)


def check_twice(ctx: Context, f: Field, ids: list[str | None]) -> None:
    """One person, one row: an ID number again after its first row, in this batch or before."""
    n, rows, seen = len(ids), ctx.table.rows, ctx.ledger.first_rows
    earliest = dict(zip(reversed(ids), range(n - 1, -1, -1)))
    earliest.pop(None, None)
    first_of: Callable[[str | None, int], int] = earliest.get  # picks dict.get's overload
    first = np.fromiter(map(first_of, ids, range(n)), np.int64, n)
    again = first != np.arange(n)
    if seen:
        again |= np.fromiter(map(seen.__contains__, ids), bool, n)
    ctx.problems.at(
        np.flatnonzero(again),
        rows,
        ctx.letter(f),
        "id_twice",
        lambda i: (
            TWICE,
            {"value": idnumbers.mask(ids[i] or ""), "first": seen.get(ids[i] or "") or int(rows[first[i]])},
        ),
    )
    new = dict(zip(earliest, rows[list(earliest.values())].tolist()))
    for number in new.keys() & seen.keys():
        del new[number]
    seen.update(cast("dict[str, int]", new))  # None was popped from earliest


def check_registered(
    problems: Problems,
    rows: np.ndarray,
    letter: str | None,
    ids: list[str | None],
    hashes: list[str | None],
    registered: set[str],
) -> None:
    """One person, one household (or one cadre record): ID numbers already registered in the county."""
    if not registered:
        return
    found = np.flatnonzero(np.fromiter(map(registered.__contains__, hashes), bool, len(hashes)))
    problems.at(
        found, rows, letter, "already_registered", lambda i: (REGISTERED, {"value": idnumbers.mask(ids[i] or "")})
    )


# --- divisions --------------------------------------------------------------------------


def division_codes(values: list[str | None] | None) -> set[str]:
    """The well-formed codes a column names, to look them up in one query."""
    return {code for code in set(values or ()) if code and is_code(code)}


def check_places(ctx: Context, f: Field, divisions: Divisions) -> list[str | None]:
    """Codes of divisions that exist; for a village or a place of service, inside the scope."""
    codes = ctx.table.values(f.name) or []
    if f.required:
        check_field(ctx, f)
    verdicts = {code: _place_verdict(f, code, divisions) for code in set(codes) if code}
    refused = {code: verdict for code, verdict in verdicts.items() if verdict is not None}
    if not refused:
        return codes
    bad = np.flatnonzero(np.fromiter(map(refused.__contains__, codes), bool, len(codes)))
    ctx.problems.at(bad, ctx.table.rows, ctx.letter(f), "bad_division", lambda i: refused[codes[i]])
    return [None if code in refused else code for code in codes]


def _place_verdict(f: Field, code: str, divisions: Divisions) -> tuple[Any, dict[str, Any]] | None:
    if not is_code(code):
        return NOT_A_CODE, {"value": shorten(code)}
    level = divisions.levels.get(code)
    scoped = f.kind in (VILLAGE, PLACE)
    if level is None or (scoped and not divisions.covers(code)):
        return UNKNOWN_PLACE, {"value": code}
    if f.kind == VILLAGE and level != "village":
        return NOT_A_VILLAGE, {"value": code, "level": LEVELS.get(level, level)}
    if f.kind == PLACE and level not in ("village", "township", "county"):
        return TOO_HIGH, {"value": code}
    return None


LEVELS = {
    "province": _l("province"),
    "prefecture": _l("prefecture"),
    "county": _l("county"),
    "township": _l("township"),
    "village": _l("village"),
}
