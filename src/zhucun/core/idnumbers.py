"""Resident ID numbers (公民身份号码, GB 11643-1999): normalise, check, mask.

``check`` explains one number to a clerk; ``check_many`` gives the same verdicts for a
whole import at once, with the arithmetic done by numpy. Both try the rules in the order
of ``REASON_CODES`` and report the first that fails.

A number is valid when the standard's format allows it: a known region prefix, a real
calendar date, the right check character. A birth date that is real but implausible (more
than ``max_age`` years ago, or in the future) does not make the number invalid — people
are registered with such numbers, and the clerk cannot change them — but earns a warning
(``age_warnings`` for a whole column) that the clerk sees beside the number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from babel.support import LazyProxy

from zhucun.core.codes import PROVINCE_PREFIXES
from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l

# Residence permits for Taiwan residents (港澳台居民居住证, 2018) carry 830000 in place of
# a division code; they are numbers of this same form and must not be turned away.
ID_PREFIXES = PROVINCE_PREFIXES | {"83"}
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARS = "10X98765432"
# A default, like every rule number: the settings' id_max_age is what callers pass.
MAX_AGE = 120

REASON_CODES = (
    "id_empty",
    "id_length",
    "id_chars",
    "id_province",
    "id_birth_date",
    "id_checksum",
    "id_gender",
)
MESSAGES = {
    "id_empty": _l("No ID number was given."),
    "id_length": _l("An ID number has 18 characters (an old one 15 digits); this one has {length}."),
    "id_chars": _l(
        "An ID number is made of digits, with X allowed only as the 18th character; character {position} is “{char}”."
    ),
    "id_province": _l("The first two digits, {prefix}, are not a province code."),
    "id_birth_date": _l("The birth date in the number, {digits}, is not a real date."),
    "id_checksum": _l(
        "The check character is wrong: for the first 17 digits it should be {expected}, "
        "not {actual}. Check every digit against the ID card."
    ),
}
WARNING_CODES = ("id_over_age", "id_future_birth")
WARNINGS = {
    "id_over_age": _l(
        "The birth date in the number, {date}, makes the person older than {years}; check the number against "
        "the ID card."
    ),
    "id_future_birth": _l(
        "The birth date in the number, {date}, is in the future; check the number against the ID card."
    ),
}
# Keyed by the gender the number itself marks.
GENDER_MESSAGES = {
    1: _l("Digit {position} is odd, which marks a man, but the person is recorded as a woman."),
    2: _l("Digit {position} is even, which marks a woman, but the person is recorded as a man."),
}
GENDERS = {"1": 1, "male": 1, "m": 1, "男": 1, "2": 2, "female": 2, "f": 2, "女": 2}
# GB/T 2261.1 codes 0 (unknown) and 9 (unstated) mean there is nothing to compare.
NO_GENDER = {"", "0", "9"}

_ID18_RE = re.compile(r"[0-9]{17}[0-9X]")
_ID15_RE = re.compile(r"[0-9]{15}")
_TRANSLATE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "x": "X",
        "Ｘ": "X",
        "ｘ": "X",
        # Whitespace as str.isspace() sees it (none lies above U+3000, the ideographic space),
        # and the invisible characters that spreadsheets and web forms leave behind.
        **{chr(i): None for i in range(0x3001) if chr(i).isspace()},
        "\ufeff": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\u2060": None,
    }
)


@dataclass(frozen=True)
class IdCheck:
    """A verdict on one number.

    ``normalized`` is the 18-character form whenever one can be formed, valid or not (an
    import may show it beside the reason); ``reason_code`` is None exactly when valid.
    ``warning_code`` and ``warning`` say what is implausible about a valid number.
    """

    input: str
    valid: bool
    reason_code: str | None = None
    reason: Any = None  # translated when shown (a LazyProxy)
    normalized: str | None = None
    warning_code: str | None = None
    warning: Any = None


def normalize(raw: object) -> str:
    """Drop all whitespace (clerks group digits), map full-width digits and x to ASCII."""
    if raw is None:
        return ""
    text = raw if isinstance(raw, str) else str(raw)
    if text.isascii() and text.isalnum() and "x" not in text:
        return text  # the usual case, kept cheap for a million-row import
    return text.translate(_TRANSLATE)


def check_char(body17: str) -> str:
    """ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(body17, WEIGHTS)) % 11]


def to_18(value: str) -> str | None:
    """The 18-character form of a normalised number, or None when none can be formed."""
    if _ID18_RE.fullmatch(value):
        return value
    if _ID15_RE.fullmatch(value):
        body = value[:6] + "19" + value[6:]
        return body + check_char(body)
    return None


def birth_date(id18: str) -> dt.date:
    return dt.date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


def gender_of(id18: str) -> str:
    return "male" if int(id18[16]) % 2 else "female"


def mask(raw: object) -> str:
    """Show at most the first 6 and last 4 characters; the birth date is never shown."""
    value = normalize(raw)
    if _ID15_RE.fullmatch(value):
        return value[:6] + "*" * 6 + value[12:]
    head = min(6, max(0, len(value) - 12))
    tail = min(4, max(0, len(value) - 14))
    return value[:head] + "*" * (len(value) - head - tail) + value[len(value) - tail :]


def gender_code(gender: object) -> int:
    """1 for male, 2 for female, 0 when no gender is given."""
    key = "" if gender is None else str(gender).strip().lower()
    if key in NO_GENDER:
        return 0
    if key not in GENDERS:
        raise ValueError(f"unknown gender {gender!r}")
    return GENDERS[key]


def check(raw: object, *, gender: object = None, today: dt.date | None = None, max_age: int = MAX_AGE) -> IdCheck:
    """Check one number and say, in the reader's language, what is wrong with it (or, for a
    valid one, what is implausible)."""
    wanted = gender_code(gender)
    value = normalize(raw)
    id18 = to_18(value)
    text = "" if raw is None else str(raw)
    fault = _fault(value, id18, wanted)
    if fault is None:
        warning = age_warning(id18, today or dt.date.today(), max_age)  # type: ignore[arg-type]
        if warning is None:
            return IdCheck(text, True, normalized=id18)
        code, params = warning
        return IdCheck(text, True, normalized=id18, warning_code=code, warning=_lazy(WARNINGS[code], params))
    code, template, params = fault
    return IdCheck(text, False, code, _lazy(template, params), id18)


def age_warning(id18: str, today: dt.date, max_age: int = MAX_AGE) -> tuple[str, dict[str, Any]] | None:
    """What is implausible about the birth date of a valid number: (code, parameters), or None."""
    return born_warning(birth_date(id18), today, max_age)


def birth_note(born: dt.date | None, today: dt.date, max_age: int = MAX_AGE) -> Any:
    """The warning a page shows beside a registered person's number, translated when shown."""
    warning = born_warning(born, today, max_age) if born else None
    return None if warning is None else warning_text(*warning)


def born_warning(born: dt.date, today: dt.date, max_age: int = MAX_AGE) -> tuple[str, dict[str, Any]] | None:
    if born > today:
        return "id_future_birth", {"date": born.isoformat()}
    if _years_between(born, today) > max_age:
        return "id_over_age", {"date": born.isoformat(), "years": max_age}
    return None


def warning_text(code: str, params: dict[str, Any]) -> Any:
    return _lazy(WARNINGS[code], params)


def _years_between(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _lazy(template: Any, params: dict[str, Any]) -> Any:
    return LazyProxy(_render, template, params, enable_cache=False)


def require(
    raw: object,
    *,
    gender: object = None,
    today: dt.date | None = None,
    field: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> str:
    """The 18-character number, or ``Invalid`` located at the given field or cell."""
    result = check(raw, gender=gender, today=today)
    if not result.valid:
        raise Invalid(result.reason, code=result.reason_code, field=field, row=row, column=column)
    return result.normalized  # type: ignore[return-value]


def _render(template: Any, params: dict[str, Any]) -> str:
    return str(template).format(**params)


# What is wrong with a number: its code, the message to translate and the message's parameters.
Fault = tuple[str, LazyProxy, dict[str, Any]]


def _fault(value: str, id18: str | None, wanted: int) -> Fault | None:
    if not value:
        return _f("id_empty")
    if len(value) not in (15, 18):
        return _f("id_length", length=len(value))
    if id18 is None:
        return _chars_fault(value)
    return (
        _province_fault(id18)
        or _date_fault(id18)
        or _checksum_fault(id18)
        or _gender_fault(id18, wanted, 15 if len(value) == 15 else 17)
    )


def _f(code: str, **params: Any) -> Fault:
    return code, MESSAGES[code], params


def _chars_fault(value: str) -> Fault:
    for index, char in enumerate(value):
        if not ("0" <= char <= "9" or (char == "X" and index == 17)):
            return _f("id_chars", position=index + 1, char=char)
    raise AssertionError(value)  # pragma: no cover - to_18 accepted every other shape


def _province_fault(id18: str) -> Fault | None:
    return None if id18[:2] in ID_PREFIXES else _f("id_province", prefix=id18[:2])


def _date_fault(id18: str) -> Fault | None:
    try:
        birth_date(id18)
    except ValueError:
        return _f("id_birth_date", digits=id18[6:14])
    return None


def _checksum_fault(id18: str) -> Fault | None:
    expected = check_char(id18[:17])
    return None if id18[17] == expected else _f("id_checksum", expected=expected, actual=id18[17])


def _gender_fault(id18: str, wanted: int, position: int) -> Fault | None:
    marked = 1 if int(id18[16]) % 2 else 2
    if not wanted or wanted == marked:
        return None
    return "id_gender", GENDER_MESSAGES[marked], {"position": position}


def check_many(
    values: Sequence[object],
    *,
    genders: Sequence[object] | None = None,
    today: dt.date | None = None,
) -> tuple[list[str | None], list[str | None]]:
    """``check`` over a whole import: (18-character forms, reason codes), None when valid.

    Same verdicts as ``check`` row by row; the forms are set for invalid rows too. ``today``
    is accepted for symmetry with ``check`` and ``age_warnings``: no verdict depends on it.
    """
    # The plain case inline: a function call per row would cost more than all the numpy work.
    texts = [
        value if type(value) is str and value.isascii() and value.isalnum() and "x" not in value else normalize(value)
        for value in values
    ]
    wanted = _gender_codes(genders, len(texts))
    if not texts:
        return [], []
    return _check_texts(texts, wanted)


def age_warnings(
    numbers: Sequence[str | None], *, today: dt.date | None = None, max_age: int = MAX_AGE
) -> list[str | None]:
    """``age_warning``'s code for each valid 18-character number of a column (None elsewhere)."""
    today = today or dt.date.today()
    ymd = np.array([int(n[6:14]) if n else 0 for n in numbers], dtype=np.int64)  # YYYYMMDD; a whole county at once
    today_ymd = today.year * 10000 + today.month * 100 + today.day
    future = ymd > today_ymd
    # Older than max_age exactly when born before the same day max_age + 1 years ago.
    old = (ymd > 0) & (ymd <= today_ymd - (max_age + 1) * 10000)
    codes = np.select([future, old], ["id_future_birth", "id_over_age"], "")
    return [code or None for code in codes.tolist()]


def _check_texts(texts: list[str], wanted: np.ndarray) -> tuple[list[str | None], list[str | None]]:
    chars = _char_matrix(texts)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ok15 = (lengths == 15) & _is_digit(chars[:, :15]).all(axis=1)
    ok18 = (
        (lengths == 18) & _is_digit(chars[:, :17]).all(axis=1) & (_is_digit(chars[:, 17]) | (chars[:, 17] == ord("X")))
    )
    body = np.where(ok15[:, None], _widen_15(chars), chars[:, :17])
    digits = body.astype(np.int32) - ord("0")
    # Multiply and sum: numpy's integer matmul has no BLAS behind it and is four times slower.
    expected = _CHECK_CODES[(digits * _WEIGHTS).sum(axis=1) % 11]
    # In the order of REASON_CODES; rows that fail an early rule hold garbage for the later
    # ones, which np.select never reaches.
    faults = [
        lengths == 0,
        (lengths != 15) & (lengths != 18),
        ~(ok15 | ok18),
        ~_PROVINCE_TABLE[np.clip(digits[:, 0] * 10 + digits[:, 1], 0, 99)],
        _date_fault_mask(digits),
        ok18 & (chars[:, 17] != expected),
        _gender_mismatch(digits[:, 16], wanted),
    ]
    reasons = np.select(faults, np.arange(1, len(faults) + 1), 0)
    return _normalized(texts, ok15, ok18, body, expected), _CODE_NAMES[reasons].tolist()


_WEIGHTS = np.array(WEIGHTS, dtype=np.int32)
_CHECK_CODES = np.frombuffer(CHECK_CHARS.encode(), dtype=np.uint8)
_PROVINCE_TABLE = np.isin(np.arange(100), [int(p) for p in ID_PREFIXES])
_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_CODE_NAMES = np.array([None, *REASON_CODES], dtype=object)


def _gender_codes(genders: Sequence[object] | None, count: int) -> np.ndarray:
    if genders is None:
        return np.zeros(count, dtype=np.int8)
    if len(genders) != count:
        raise ValueError("genders must be as long as values")
    return np.fromiter(map(gender_code, genders), dtype=np.int8, count=count)


def _char_matrix(texts: list[str]) -> np.ndarray:
    """One row of 18 characters per text, as bytes; anything not ASCII becomes 255.

    Longer texts are cut here; their length rejects them anyway.
    """
    points = np.array(texts, dtype="<U18").view(np.uint32).reshape(len(texts), 18)
    return np.minimum(points, 255).astype(np.uint8)


def _is_digit(chars: np.ndarray) -> np.ndarray:
    return (chars >= ord("0")) & (chars <= ord("9"))


def _widen_15(chars: np.ndarray) -> np.ndarray:
    """The first 17 characters of the 18-character form of 15-digit numbers: 19 inserted."""
    century = np.broadcast_to(np.frombuffer(b"19", dtype=np.uint8), (len(chars), 2))
    return np.concatenate([chars[:, :6], century, chars[:, 6:15]], axis=1)


def _date_fault_mask(digits: np.ndarray) -> np.ndarray:
    year = (digits[:, 6:10] * np.array([1000, 100, 10, 1], dtype=np.int32)).sum(axis=1)
    month = digits[:, 10] * 10 + digits[:, 11]
    day = digits[:, 12] * 10 + digits[:, 13]
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = _DAYS_IN_MONTH[np.clip(month, 0, 12)] + (leap & (month == 2))
    # Year 0 does not exist (datetime.date refuses it too).
    real: np.ndarray = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    return ~real


def _gender_mismatch(digit17: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    marked = np.where(digit17 % 2 == 1, 1, 2)
    mismatch: np.ndarray = (wanted != 0) & (wanted != marked)
    return mismatch


def _normalized(
    texts: list[str], ok15: np.ndarray, ok18: np.ndarray, body: np.ndarray, expected: np.ndarray
) -> list[str | None]:
    formed = (ok15 | ok18).tolist()
    result = [text if ok else None for text, ok in zip(texts, formed)]
    rows = np.flatnonzero(ok15)
    if len(rows):
        widened = np.concatenate([body[rows], expected[rows, None]], axis=1)
        for row, number in zip(rows.tolist(), widened.view("S18").ravel().tolist()):
            result[row] = number.decode("ascii")
    return result
