"""Form pages of the registry: a model's validation errors as the messages shown under
each field, worded as the API words them."""

from __future__ import annotations

from pydantic import ValidationError

from ..core.http import translate_validation


def field_errors(exc: ValidationError) -> dict[str, str]:
    """{field: translated message}, the first error of each field."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        found = translate_validation({**error, "loc": ("body", *error["loc"])})
        errors.setdefault(found["field"] or "", found["message"])
    return errors
