"""Audit trail API: list entries with filters, verify the hash chains."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from ..core.deps import Ctx, permit
from ..core.permissions import AUDIT_READ, AUDIT_VERIFY
from . import queries, service
from .schemas import AuditEntryOut, AuditPage, FindingOut, VerificationOut

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])


@router.get("", response_model=AuditPage)
def list_entries(
    ctx: Ctx = permit(AUDIT_READ),
    action: Annotated[str | None, Query(max_length=80)] = None,
    entity: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[str | None, Query(max_length=80)] = None,
    actor: Annotated[str | None, Query(max_length=150)] = None,
    since: date | None = None,
    until: date | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPage:
    filters = queries.Filters(action, entity, entity_id, actor, since, until)
    items, next_cursor = queries.list_entries(ctx.session, filters, cursor=cursor, limit=limit)
    return AuditPage(items=[AuditEntryOut.model_validate(e) for e in items], next_cursor=next_cursor)


@router.get("/verify", response_model=VerificationOut)
def verify(ctx: Ctx = permit(AUDIT_VERIFY)) -> VerificationOut:
    result = service.verify_for(ctx.db, ctx.scope)
    service.record_check(ctx.session, actor=ctx.principal, result=result)
    return VerificationOut(
        ok=result.ok,
        checked=result.checked,
        findings=[FindingOut(ref=f.ref, problem=f.problem) for f in result.findings],
    )
