"""Exports and revealing for every registry list: who may see a number in clear (the right
to unmask and a reason), and the audit entry each export leaves."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from ..core import audit
from ..core.deps import Ctx
from ..core.errors import Forbidden, Invalid
from ..core.i18n import _l
from ..core.logs import redact
from ..core.web import ENV, field_errors, render
from .history import Tag
from .permissions import PERSON_UNMASK


def check_unmask(ctx: Ctx, unmask: bool, reason: str | None) -> None:
    """An export in clear needs the right to unmask and a reason."""
    if not unmask:
        return
    if not ctx.principal.can(PERSON_UNMASK):
        raise Forbidden()
    if not reason or len(reason.strip()) < 2:
        raise Invalid(_l("Say why the numbers must be shown."), field="reason", code="reason_required")


def record_export(
    ctx: Ctx, what: str, filters: dict[str, Any], unmask: bool = False, reason: str | None = None
) -> None:
    """An audit entry for an export, committed before the file is streamed."""
    audit_export(ctx.session, ctx.actor, what, ctx.principal.division_code, filters, unmask=unmask, reason=reason)
    ctx.session.commit()


def audit_export(
    session: Session,
    actor: audit.Actor,
    what: str,
    division: str | None,
    filters: dict[str, Any],
    *,
    unmask: bool = False,
    reason: str | None = None,
    **details: Any,
) -> None:
    """The audit entry of an export from any channel (page, API, command line), not committed."""
    # A search may be an ID number: the trail keeps it masked like everything else.
    kept = {k: _redacted(v) for k, v in filters.items() if v not in (None, "")}
    audit.record(
        session,
        actor=actor,
        action=Tag.EXPORTED,
        entity=what,
        division=division,
        after={"filters": kept, "unmasked": unmask, **{k: _redacted(v) for k, v in details.items()}},
        reason=reason,
    )


def _redacted(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def reveal_answer(
    ctx: Ctx, form: dict[str, str], schema: type[BaseModel], reveal: Callable[[str, str], str | None]
) -> Response:
    """A page's reveal form answered: the number in clear, or why not next to the fields."""
    try:
        data = schema.model_validate({"field": form.get("field", ""), "reason": form.get("reason", "")})
    except ValidationError as exc:
        return render(ctx.request, "registry/_reveal_error.html", {"errors": field_errors(exc)}, status=422)
    value = reveal(data.field, data.reason)
    return HTMLResponse(ENV.from_string('<span class="revealed" data-testid="revealed">{{ v }}</span>').render(v=value))
