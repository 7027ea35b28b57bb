"""The history of households and members: every change kept with who, when, before,
after and why — in ``registry_changes`` for the household's own history page, and in the
hash-chained audit trail."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from ..core import audit
from ..core.auth import Principal
from ..core.db import utcnow
from ..core.ids import allocate
from .models import RegistryChange


class Tag(StrEnum):
    HOUSEHOLD_CREATED = "registry:household:created"
    HOUSEHOLD_UPDATED = "registry:household:updated"
    MEMBER_ADDED = "registry:member:added"
    MEMBER_UPDATED = "registry:member:updated"
    MEMBER_REMOVED = "registry:member:removed"
    MEMBER_MOVED = "registry:member:moved"
    MEMBERS_IMPORTED = "registry:members:imported"


def plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        # A digest of the ciphertext shows that a protected number changed, not what it is.
        return "encrypted:" + hashlib.sha256(value).hexdigest()[:12]
    return value


def state(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The recorded state of a row: the named columns, secrets shown only as changed."""
    return {name: plain(getattr(obj, name)) for name in fields}


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}


def record(
    session: Session,
    *,
    actor: Principal,
    tag: Tag,
    entity: str,
    entity_id: int,
    county_code: str,
    village_code: str,
    household_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    reason: str | None,
) -> None:
    """Write one change to the household's history and to the audit trail."""
    session.execute(
        insert(RegistryChange).values(
            county_code=county_code,
            id=allocate(session, "registry_changes"),
            household_id=household_id,
            entity=entity,
            entity_id=entity_id,
            village_code=village_code,
            action=tag.value.rsplit(":", 1)[1],
            at=utcnow(),
            actor_id=actor.user_id,
            actor_name=actor.username,
            before=before,
            after=after,
            reason=reason,
        )
    )
    audit.record(
        session,
        actor=actor.actor,
        action=tag,
        entity=entity,
        entity_id=entity_id,
        division=village_code,
        before=before,
        after=after,
        reason=reason,
    )
