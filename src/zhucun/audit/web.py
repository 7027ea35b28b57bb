"""Audit trail pages."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ..core.deps import Ctx, permit
from ..core.permissions import AUDIT_READ, AUDIT_VERIFY
from ..core.web import render
from . import queries, service

router = APIRouter(include_in_schema=False)


@router.get("/audit")
def entries(
    ctx: Ctx = permit(AUDIT_READ),
    action: Annotated[str | None, Query(max_length=80)] = None,
    actor: Annotated[str | None, Query(max_length=150)] = None,
    since: date | None = None,
    until: date | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    items, next_cursor = queries.list_entries(
        ctx.session, action=action, actor=actor, since=since, until=until, cursor=cursor
    )
    return render(
        ctx.request,
        "audit/entries.html",
        {
            "items": items,
            "next_cursor": next_cursor,
            "action": action,
            "actor": actor,
            "since": since,
            "until": until,
            "can_verify": ctx.principal.can(AUDIT_VERIFY),
        },
    )


@router.get("/audit/verify")
def verify(ctx: Ctx = permit(AUDIT_VERIFY)) -> Response:
    return render(ctx.request, "audit/verify.html", {"result": service.verify_for(ctx.db, ctx.scope)})
