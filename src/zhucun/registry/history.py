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

from ..core import audit, present
from ..core.auth import Principal
from ..core.db import utcnow
from ..core.i18n import _l
from ..core.ids import allocate
from ..core.present import Action
from .models import RegistryChange


class Tag(StrEnum):
    HOUSEHOLD_CREATED = "registry:household:created"
    HOUSEHOLD_UPDATED = "registry:household:updated"
    MEMBER_ADDED = "registry:member:added"
    MEMBER_UPDATED = "registry:member:updated"
    MEMBER_REMOVED = "registry:member:removed"
    MEMBER_MOVED = "registry:member:moved"
    MEMBERS_IMPORTED = "registry:members:imported"


LABELS = present.actions(
    {
        Tag.MEMBERS_IMPORTED: Action(
            _l("Households and members imported"),
            _l("imported {file}: {households} households, {members} members"),
            clauses=False,
        ),
        Tag.HOUSEHOLD_CREATED: Action(
            _l("Household registered"),
            _l("registered the household {object}"),
            here=_l("registered the household"),
            clauses=False,
        ),
        # On the household's own page the changes say it all.
        Tag.HOUSEHOLD_UPDATED: Action(_l("Household changed"), _l("changed the household {object}"), here=""),
        Tag.MEMBER_ADDED: Action(
            _l("Member added"),
            _l("added the member {object} to the household {household_id}"),
            here=_l("added the member {object} to the household"),
            clauses=False,
        ),
        Tag.MEMBER_UPDATED: Action(_l("Member changed"), _l("changed the member {object}")),
        Tag.MEMBER_REMOVED: Action(
            _l("Member taken off the roll"), _l("took the member {object} off the roll ({status})"), clauses=False
        ),
        Tag.MEMBER_MOVED: Action(
            _l("Member moved"), _l("moved the member {object} to the household {household_id}"), clauses=False
        ),
    }
)
# ``registry_changes`` keeps the last word of the tag; with the entity it names the tag
# (kin declarations are recorded on a member, and told apart by what they record).
CHANGE_TAGS = {
    ("household", "created"): Tag.HOUSEHOLD_CREATED.value,
    ("household", "updated"): Tag.HOUSEHOLD_UPDATED.value,
    ("member", "added"): Tag.MEMBER_ADDED.value,
    ("member", "updated"): Tag.MEMBER_UPDATED.value,
    ("member", "removed"): Tag.MEMBER_REMOVED.value,
    ("member", "moved"): Tag.MEMBER_MOVED.value,
    ("member", "declared"): "registry:kin:declared",
    ("member", "reviewed"): "registry:duplicate:reviewed",
    ("official", "appointed"): "registry:official:appointed",
    ("official", "term_ended"): "registry:official:term_ended",
    ("cadre", "created"): "selection:cadre:created",
    ("cadre", "updated"): "selection:cadre:updated",
    ("cadre", "posted"): "selection:cadre:posted",
    ("cadre", "posting_ended"): "selection:cadre:posting_ended",
    ("cadre", "assessed"): "selection:cadre:assessed",
}


def tag_of(change: RegistryChange) -> str:
    if change.entity == "member" and change.action == "removed" and "member_a" in (change.before or {}):
        return "registry:kin:removed"
    return CHANGE_TAGS.get((change.entity, change.action), change.action)


def plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        # A digest of the ciphertext shows that a protected number changed, not what it is.
        return present.SEALED + hashlib.sha256(value).hexdigest()[:12]
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


def told(session: Session, changes: Iterable[RegistryChange]) -> list[present.Told]:
    """A page's history (a household with its members, a cadre) as sentences."""
    return present.tell(session, changes, tag_of=tag_of, here=True)
