"""Form text to schema input, and errors to show next to the fields, for the pages of
units, cadres and officials."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..core.errors import DomainError

TRUE = ("1", "on", "true", "是")


def clean(form: dict[str, str], *, booleans: Iterable[str] = (), keep_blank: Iterable[str] = ()) -> dict[str, Any]:
    """Blanks dropped (or kept as None where a blank clears a value), check boxes to booleans."""
    flags, clearable = set(booleans), set(keep_blank)
    values: dict[str, Any] = {name: form.get(name, "") in TRUE for name in flags}
    for name, value in form.items():
        if name == "csrf_token" or name in flags:
            continue
        if value.strip():
            values[name] = value.strip()
        elif name in clearable:
            values[name] = None
    return values


def domain_errors(exc: DomainError, default: str = "") -> dict[str, str]:
    """A domain error as {field: message}; a nested field is shown at its last part."""
    return {(exc.field or default).split(".")[-1]: exc.message}
