"""Exports and revealing for every list, on the web, in the API and at the command line:
who may see a number in clear (the right to unmask and a reason), and the audit entry each
export leaves — committed before the file is streamed, with any ID number in the filters
masked. The rules live here once; pages, API routes and commands call them."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from zhucun.core import audit, present
from zhucun.core.audit import Actor
from zhucun.core.deps import Ctx
from zhucun.core.errors import Forbidden, Invalid
from zhucun.core.i18n import _l
from zhucun.core.logs import redact
from zhucun.core.present import Action
from zhucun.core.tx import transaction
from zhucun.core.web import ENV, field_errors, render


class Tag(StrEnum):
    EXPORTED = "core:list:exported"
    UNMASKED = "core:person:unmasked"


LABELS = present.actions(
    {
        Tag.EXPORTED: Action(_l("List exported"), _l("exported the list “{object}”"), clauses=False, table=False),
        Tag.UNMASKED: Action(_l("Number revealed"), _l("revealed the {field} of {object}"), clauses=False, table=False),
    }
)


def check_unmask(ctx: Ctx, unmask: bool, reason: str | None, permission: str) -> None:
    """An export in clear needs the right to unmask (``permission``) and a reason."""
    if not unmask:
        return
    if not ctx.principal.can(permission):
        raise Forbidden()
    if not reason or len(reason.strip()) < 2:
        raise Invalid(_l("Say why the numbers must be shown."), field="reason", code="reason_required")


def record_export(
    session: Session,
    actor: Actor,
    *,
    what: str,
    filters: dict[str, Any],
    division: str | None,
    unmask: bool = False,
    reason: str | None = None,
    file: str | None = None,
) -> None:
    """An audit entry for an export, committed before the file is streamed."""
    # A search may be an ID number: the trail keeps it masked like everything else.
    kept = {k: redact(v) if isinstance(v, str) else v for k, v in filters.items() if v not in (None, "")}
    after: dict[str, Any] = {"filters": kept, "unmasked": unmask}
    if file:
        after["file"] = redact(file)
    with transaction(session):
        audit.record(
            session, actor=actor, action=Tag.EXPORTED, entity=what, division=division, after=after, reason=reason
        )


def record_list_export(
    ctx: Ctx, what: str, filters: dict[str, Any], unmask: bool = False, reason: str | None = None
) -> None:
    """``record_export`` for a list exported from a page or the API, in the reader's area."""
    record_export(
        ctx.session,
        ctx.actor,
        what=what,
        filters=filters,
        division=ctx.principal.division_code,
        unmask=unmask,
        reason=reason,
    )


def reveal_answer(
    ctx: Ctx, form: dict[str, str], schema: type[BaseModel], reveal: Callable[[str, str], str | None]
) -> Response:
    """A page's reveal form answered: the number in clear, or why not next to the fields."""
    try:
        # Each mechanism's schema names its own fields; both have ``field`` and ``reason``.
        data = schema.model_validate({"field": form.get("field", ""), "reason": form.get("reason", "")}).model_dump()
    except ValidationError as exc:
        return render(ctx.request, "_reveal_error.html", {"errors": field_errors(exc)}, status=422)
    value = reveal(data["field"], data["reason"])
    return HTMLResponse(ENV.from_string('<span class="revealed" data-testid="revealed">{{ v }}</span>').render(v=value))
