"""Keyset pagination: an opaque cursor holding the last row's sort key, never OFFSET."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import BigInteger, Integer, Select, SmallInteger, tuple_
from sqlalchemy.orm import Session

from .errors import Invalid
from .i18n import _l

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 500


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def encode_cursor(values: Sequence[Any]) -> str:
    raw = json.dumps(list(values), ensure_ascii=False, separators=(",", ":"), default=str)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, width: int) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (ValueError, UnicodeDecodeError):
        values = None
    if not isinstance(values, list) or len(values) != width:
        raise _bad_cursor()
    return values


# The JSON types a cursor may hold for a column of each Python type (see encode_cursor), and
# how to read them back.
_READERS: dict[type, tuple[tuple[type, ...], Callable[[Any], Any]]] = {
    str: ((str,), str),
    int: ((int,), int),
    float: ((int, float), float),
    Decimal: ((str, int), Decimal),
    datetime: ((str,), datetime.fromisoformat),
    date: ((str,), date.fromisoformat),
}


def _bad_cursor() -> Invalid:
    return Invalid(_l("The page cursor is invalid."), field="cursor", code="bad_cursor")


def _int_bounds(column_type: Any) -> tuple[int, int]:
    bits = 16 if isinstance(column_type, SmallInteger) else 64 if isinstance(column_type, BigInteger) else 32
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def _typed_value(value: Any, column_type: Any) -> Any:
    """One cursor value read back as the column's type, within what the column can hold. A
    value of the wrong JSON type is refused rather than coerced (str() of a forged object
    compares, and answers an empty page)."""
    accepted, read = _READERS[column_type.python_type]
    if isinstance(value, bool) or not isinstance(value, accepted):
        raise _bad_cursor()
    value = read(value)
    if isinstance(value, int) and isinstance(column_type, Integer):
        low, high = _int_bounds(column_type)
        if not low <= value <= high:
            raise _bad_cursor()
    if isinstance(value, float) and not math.isfinite(value):
        raise _bad_cursor()
    if isinstance(value, str) and "\x00" in value:
        raise _bad_cursor()
    return value


def _typed(values: list[Any], order: Sequence[Any]) -> list[Any]:
    """Read cursor values back as the columns' types, so a forged cursor is a 422, never a
    wrong page or a 500: no nulls, no values a column cannot hold (beyond an integer's
    width, infinities, NUL)."""
    typed = []
    for value, column in zip(values, order, strict=True):
        try:
            typed.append(_typed_value(value, column.type))
        except (KeyError, TypeError, ValueError, ArithmeticError, NotImplementedError) as exc:
            raise _bad_cursor() from exc
    return typed


def keyset(
    session: Session,
    statement: Select[Any],
    order: Sequence[Any],
    *,
    cursor: str | None,
    limit: int,
    key: Callable[[Any], Sequence[Any]],
    scalars: bool = True,
    descending: bool = False,
) -> tuple[list[Any], str | None]:
    """One page of ``statement`` ordered by the unique key ``order``, after ``cursor``."""
    limit = max(1, min(limit, MAX_LIMIT))
    if cursor:
        values = _typed(decode_cursor(cursor, len(order)), order)
        left = order[0] if len(order) == 1 else tuple_(*order)
        right = values[0] if len(order) == 1 else tuple_(*values)
        statement = statement.where(left < right if descending else left > right)
    statement = statement.order_by(*[c.desc() if descending else c for c in order]).limit(limit + 1)
    result = session.scalars(statement) if scalars else session.execute(statement)
    rows = list(result)
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode_cursor(key(rows[-1])) if more and rows else None


def count(session: Session, statement: Select[Any]) -> int:
    """How many rows a list's filters leave, for the total shown above it (one COUNT)."""
    from sqlalchemy import func, select

    return session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0


def int_id(upper: int = 2**31 - 1) -> Any:
    """A path parameter for an integer key, bounded so that no driver overflows."""
    from fastapi import Path

    return Path(ge=1, le=upper)
