"""Form text to schema input, and errors to show next to the fields, for the pages of
units, cadres and officials."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from zhucun.core.errors import DomainError
from zhucun.core.web import field_errors, redirect, render

TRUE = ("1", "on", "true", "是")


def clean(form: dict[str, str], *, booleans: Iterable[str] = (), keep_blank: Iterable[str] = ()) -> dict[str, Any]:
    """Blanks dropped (or kept as None where a blank clears a value), check boxes to booleans."""
    flags, clearable = set(booleans), set(keep_blank)
    values: dict[str, Any] = {name: form.get(name, "") in TRUE for name in flags}
    for name, value in form.items():
        # ``<field>__q`` is a picker's visible box; the code it chose is in ``<field>``.
        if name == "csrf_token" or name in flags or name.endswith("__q"):
            continue
        if value.strip():
            values[name] = value.strip()
        elif name in clearable:
            values[name] = None
    return values


def domain_errors(exc: DomainError, default: str = "") -> dict[str, str]:
    """A domain error as {field: message}; a nested field is shown at its last part."""
    return {(exc.field or default).split(".")[-1]: exc.message}


def attempt(session: Session, action: Callable[[], object], default: str = "") -> dict[str, str]:
    """Run a form's action: no errors when it succeeded, else the errors to show next to the
    fields (a schema's by field, a domain error's at its field or ``default``), the
    transaction rolled back after a domain error so that nothing of the step is kept."""
    try:
        action()
    except ValidationError as exc:
        return field_errors(exc)
    except DomainError as exc:
        session.rollback()
        return domain_errors(exc, default)
    return {}


def settle(
    ctx: Any,
    action: Callable[[], object],
    default: str,
    *,
    then: str,
    template: str,
    again: Callable[[dict[str, str]], dict[str, Any]],
) -> Response:
    """A form posted to a page: its action run (``attempt``), then on to ``then``, or the page
    again (``again(errors)`` is its context, with what was typed) and the errors, 422."""
    errors = attempt(ctx.session, action, default)
    if not errors:
        return redirect(then, ctx.request)
    return render(ctx.request, template, again(errors), status=422)
