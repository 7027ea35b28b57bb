"""Resolving a duplicate registration: take it off its household's roll (迁出 or 其他减员),
or mark it reviewed as another person with the same number; both in the history and the
audit trail, in one transaction."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.tx import use_case

from ...core import audit, present
from ...core.auth import Principal
from ...core.db import utcnow
from ...core.errors import Conflict
from ...core.i18n import _l
from ...core.present import Action
from ..history import record
from ..models import Member
from ..service import lock_member, remove_member
from .models import DuplicateReview
from .queries import COUNTY_WIDE, on_roll

STATUS_OF = {"moved_out": "3", "other_removal": "5"}


class Tag(StrEnum):
    RESOLVED = "registry:duplicate:resolved"
    REVIEWED = "registry:duplicate:reviewed"


LABELS = present.actions(
    {
        Tag.RESOLVED: Action(
            _l("Duplicate resolved"), _l("resolved the duplicate registration of {object}: {outcome}"), clauses=False
        ),
        Tag.REVIEWED: Action(
            _l("Duplicate reviewed"), _l("found {object} not the same person as the other registrations"), clauses=False
        ),
    }
)


def _others(session: Session, member: Member) -> list[str]:
    """The other registrations of the member's number still in the report (any county)."""
    if member.status != "1" or not member.id_hash:
        return []
    rows = session.execute(
        select(Member.county_code, Member.id)
        .where(Member.id_hash == member.id_hash, on_roll())
        .execution_options(**COUNTY_WIDE)
    ).all()
    keys = [f"{county}-{member_id}" for county, member_id in rows]
    mine = f"{member.county_code}-{member.id}"
    return [k for k in keys if k != mine] if mine in keys else []


@use_case
def resolve(session: Session, *, actor: Principal, member: Member, outcome: str, reason: str) -> Member:
    """Resolve one registration of a duplicated number; the others stay as they are."""
    member = lock_member(session, member)
    others = _others(session, member)
    if not others:
        raise Conflict(
            _l("This registration is not, or no longer, a duplicate."), field="member_id", code="not_a_duplicate"
        )
    if outcome in STATUS_OF:
        audit.record(
            session,
            actor=actor.actor,
            action=Tag.RESOLVED,
            entity="member",
            entity_id=member.id,
            division=member.village_code,
            after={"outcome": outcome, "kept": others},
            reason=reason,
        )
        # remove_member keeps the household's history and commits both entries together.
        return remove_member(session, actor=actor, member=member, status=STATUS_OF[outcome], reason=reason)
    # A review under an earlier number (since corrected) is replaced, not added to.
    session.merge(
        DuplicateReview(
            county_code=member.county_code,
            member_id=member.id,
            id_hash=member.id_hash,
            reason=reason,
            actor_id=actor.user_id,
            actor_name=actor.username,
            reviewed_at=utcnow(),
        )
    )
    session.flush()
    record(
        session,
        actor=actor,
        tag=Tag.REVIEWED,
        entity="member",
        entity_id=member.id,  # type: ignore[arg-type]
        county_code=member.county_code,
        village_code=member.village_code,
        household_id=member.household_id,
        before=None,
        after={"outcome": outcome, "others": others},
        reason=reason,
    )
    return member
