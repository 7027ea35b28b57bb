"""Reading the audit trail, within the session's scope."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.audit import AuditEntry
from ..core.pagination import keyset


def list_entries(
    session: Session,
    *,
    action: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    actor: str | None = None,
    since: date | None = None,
    until: date | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[AuditEntry], str | None]:
    """Entries newest first within each county's chain."""
    statement = select(AuditEntry)
    if action:
        statement = statement.where(AuditEntry.action.startswith(action, autoescape=True))
    if entity:
        statement = statement.where(AuditEntry.entity == entity)
    if entity_id:
        statement = statement.where(AuditEntry.entity_id == entity_id)
    if actor:
        statement = statement.where(AuditEntry.actor_name == actor)
    if since:
        statement = statement.where(AuditEntry.at >= datetime.combine(since, time.min))
    if until:
        # Up to the end of that day; not "before the next day", which overflows at date.max.
        statement = statement.where(AuditEntry.at <= datetime.combine(until, time.max))
    order = [AuditEntry.county_code, AuditEntry.seq]
    return keyset(
        session, statement, order, cursor=cursor, limit=limit, key=lambda e: [e.county_code, e.seq], descending=True
    )
