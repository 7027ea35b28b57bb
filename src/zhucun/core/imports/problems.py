"""The errors found in a file: located by spreadsheet row and column letter, counted in
full, but kept as objects only up to a cap (a file of a million bad rows must not
become a million exception objects)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zhucun.core import idnumbers
from zhucun.core.errors import DomainError, Invalid, Rejected
from zhucun.core.i18n import _l

DEFAULT_CAP = 10_000
MAX_VALUE = 40
_ID_RUN = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")


def hide_ids(value: Any) -> Any:
    """A cell's text with every valid ID number in it masked.

    A number typed into the wrong column reaches a problem's message, the stored problems,
    the API answer and the error workbook: none of them may show it. Digit runs that fail
    the check are kept as typed, so that a clerk can still find a mistyped one."""
    if not isinstance(value, str):
        return value
    whole = idnumbers.check(value)
    if whole.valid:
        return idnumbers.mask(whole.normalized)
    text = value if value.isascii() else unicodedata.normalize("NFKC", value)
    masked = _ID_RUN.sub(_mask_valid, text)
    return value if masked == text else masked


def _mask_valid(match: re.Match[str]) -> str:
    found = idnumbers.check(match.group(0))
    return idnumbers.mask(found.normalized) if found.valid else match.group(0)


def shorten(value: str, limit: int = MAX_VALUE) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def column_order(letter: str | None) -> tuple[int, str]:
    return (len(letter or ""), letter or "")


@dataclass
class Problems:
    """Errors in the order a clerk fixes them: by row, then by column."""

    cap: int = DEFAULT_CAP
    total: int = 0
    items: list[Invalid] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.total > 0

    def add(self, error: DomainError) -> None:
        self.total += 1
        if len(self.items) < self.cap * 4:
            error = error if isinstance(error, Invalid) else _as_invalid(error)
            error.params = _hidden(error.params)
            self.items.append(error)

    def extend(self, errors: Iterable[DomainError]) -> None:
        for error in errors:
            self.add(error)

    def at(
        self,
        positions: np.ndarray,
        rows: np.ndarray,
        letter: str | None,
        code: str,
        make: Callable[[int], tuple[Any, dict[str, Any]]],
    ) -> None:
        """One error per position (an index into the table's rows); ``make`` gives its message
        template and parameters, and is called only for the errors that will be listed."""
        count = len(positions)
        self.total += count
        for index in positions[: self.cap].tolist():
            template, params = make(index)
            self.items.append(Invalid(template, row=int(rows[index]), column=letter, code=code, **_hidden(params)))

    def trim(self) -> None:
        """Keep only the first errors: batches come in row order, so no later error precedes them."""
        if len(self.items) > self.cap:
            self.items = self.listed()

    def listed(self) -> list[Invalid]:
        ordered = sorted(self.items, key=lambda e: (e.row or 0, column_order(e.column)))
        return ordered[: self.cap]


def _hidden(params: dict[str, Any]) -> dict[str, Any]:
    return {name: hide_ids(value) for name, value in params.items()}


def _as_invalid(error: DomainError) -> Invalid:
    return Invalid(
        error.template, code=error.code, field=error.field, row=error.row, column=error.column, **error.params
    )


class ImportRejected(Rejected):
    """The file is refused whole; every error up to the cap is listed, the rest counted."""

    def __init__(
        self,
        errors: list[Invalid],
        *,
        total: int,
        import_id: int | None = None,
        preview: list[dict[str, str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(errors, _l("{count} error(s) found; nothing was saved."), status=status)
        self.params["count"] = total
        self.total = total
        self.import_id = import_id
        self.preview = preview or []

    @classmethod
    def of(
        cls, problems: Problems, import_id: int | None = None, preview: list[dict[str, str]] | None = None
    ) -> ImportRejected:
        return cls(problems.listed(), total=problems.total, import_id=import_id, preview=preview)

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body.update(total=self.total, more=self.total - len(self.errors), import_id=self.import_id)
        return body
