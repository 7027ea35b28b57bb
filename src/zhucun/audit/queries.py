"""Reading the audit trail, within the session's scope."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..core.audit import AuditEntry
from ..core.pagination import keyset


@dataclass(frozen=True)
class Filters:
    """What a reader filters the trail by; the page keeps them in its URL."""

    action: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    actor: str | None = None
    since: date | None = None
    until: date | None = None

    def shown(self) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, date) else v for k, v in asdict(self).items() if v}


def statement(filters: Filters) -> Select[Any]:
    found = select(AuditEntry)
    if filters.action:
        # A whole tag, or its beginning ("registry:" for every registry entry).
        found = found.where(AuditEntry.action.startswith(filters.action, autoescape=True))
    if filters.entity:
        found = found.where(AuditEntry.entity == filters.entity)
    if filters.entity_id:
        found = found.where(AuditEntry.entity_id == filters.entity_id)
    if filters.actor:
        found = found.where(AuditEntry.actor_name == filters.actor)
    if filters.since:
        found = found.where(AuditEntry.at >= datetime.combine(filters.since, time.min))
    if filters.until:
        # Up to the end of that day; not "before the next day", which overflows at date.max.
        found = found.where(AuditEntry.at <= datetime.combine(filters.until, time.max))
    return found


def list_entries(
    session: Session, filters: Filters, *, cursor: str | None = None, limit: int = 50
) -> tuple[list[AuditEntry], str | None]:
    """Entries newest first within each county's chain."""
    order = [AuditEntry.county_code, AuditEntry.seq]
    return keyset(
        session,
        statement(filters),
        order,
        cursor=cursor,
        limit=limit,
        key=lambda e: [e.county_code, e.seq],
        descending=True,
    )


def count_entries(session: Session, filters: Filters) -> int:
    return session.scalar(select(func.count()).select_from(statement(filters).subquery())) or 0


def stream(session: Session, filters: Filters) -> Iterator[AuditEntry]:
    """Every entry the filters select, in the page's order, in batches (for exports)."""
    ordered = statement(filters).order_by(AuditEntry.county_code.desc(), AuditEntry.seq.desc())
    yield from session.scalars(ordered.execution_options(yield_per=1000))
