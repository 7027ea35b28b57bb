"""Domain errors: a machine code, a message translated when shown, and where the fault is.

``row`` and ``column`` are numbered as a spreadsheet shows them (the header is row 1,
columns are letters); ``field`` names the API field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .i18n import _l, gettext


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA, as a spreadsheet names columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(
        self,
        message: Any,
        *,
        code: str | None = None,
        field: str | None = None,
        row: int | None = None,
        column: str | None = None,
        status: int | None = None,
        **params: Any,
    ) -> None:
        self.template = message
        self.code = code or self.code
        self.field = field
        self.row = row
        self.column = column
        self.params = params
        if status is not None:
            self.status = status
        super().__init__(self.code)

    @property
    def message(self) -> str:
        template = gettext(str(self.template)) if isinstance(self.template, str) else str(self.template)
        return template.format(**self.params) if self.params else template

    def location(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(gettext("row {row}").format(row=self.row))
        if self.column is not None:
            parts.append(gettext("column {column}").format(column=self.column))
        if self.field is not None and self.row is None:
            parts.append(gettext("field {field}").format(field=self.field))
        return ", ".join(parts)

    def __str__(self) -> str:
        location = self.location()
        return f"{location}: {self.message}" if location else self.message

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        for key in ("field", "row", "column"):
            if getattr(self, key) is not None:
                body[key] = getattr(self, key)
        return body


class NotFound(DomainError):
    status = 404
    code = "not_found"

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        super().__init__(message or _l("Not found."), **kwargs)


class Forbidden(DomainError):
    status = 403
    code = "forbidden"

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        super().__init__(message or _l("You do not have permission to do this."), **kwargs)


class Unauthorized(DomainError):
    status = 401
    code = "not_authenticated"

    def __init__(self, message: Any = None, **kwargs: Any) -> None:
        super().__init__(message or _l("Please log in."), **kwargs)


class Conflict(DomainError):
    status = 409
    code = "conflict"


class Invalid(DomainError):
    status = 422
    code = "invalid"


class TooMany(DomainError):
    status = 429
    code = "too_many_attempts"

    def __init__(self, message: Any, *, retry_after: int, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Rejected(DomainError):
    """Several located errors at once, as an import or a form reports them; nothing was written."""

    status = 422
    code = "rejected"

    def __init__(self, errors: Iterable[DomainError], message: Any = None, **kwargs: Any) -> None:
        self.errors = list(errors)
        super().__init__(
            message or _l("{count} error(s) found; nothing was saved."),
            count=len(self.errors),
            **kwargs,
        )

    def as_dict(self) -> dict[str, Any]:
        body = super().as_dict()
        body["errors"] = [error.as_dict() for error in self.errors]
        return body
