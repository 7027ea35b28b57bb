"""Declaring and removing kinship between residents of a county, each with a reason, in
the history of the first person's household and in the audit trail."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from zhucun.core.tx import relock, use_case
from zhucun.registry.kinship.models import KinRelation
from zhucun.registry.models import Member

from ...core import present
from ...core.auth import Principal
from ...core.errors import Conflict, Invalid, NotFound
from ...core.i18n import _l
from ...core.present import Action
from ..history import record
from .schemas import KinIn


class Tag(StrEnum):
    DECLARED = "registry:kin:declared"
    REMOVED = "registry:kin:removed"


LABELS = present.actions(
    {
        Tag.DECLARED: Action(
            _l("Kinship declared"), _l("declared {member_a} and {member_b} relatives ({kind})"), clauses=False
        ),
        Tag.REMOVED: Action(
            _l("Kinship removed"), _l("removed the kinship declared between {member_a} and {member_b}"), clauses=False
        ),
    }
)


def _between(a: Member, b: Member) -> object:
    pair = or_(
        and_(KinRelation.member_a == a.id, KinRelation.member_b == b.id),
        and_(KinRelation.member_a == b.id, KinRelation.member_b == a.id),
    )
    return and_(KinRelation.county_code == a.county_code, pair)


def find(session: Session, a: Member, b: Member) -> KinRelation | None:
    """The relation declared between two people, whichever way round."""
    return session.scalars(select(KinRelation).where(_between(a, b))).first()


def _history(
    session: Session, actor: Principal, tag: Tag, a: Member, b: Member, kind: str, note: str | None, reason: str
) -> None:
    content = {"member_a": a.id, "member_b": b.id, "kind": kind, "note": note}
    before, after = (None, content) if tag is Tag.DECLARED else (content, None)
    record(
        session,
        actor=actor,
        tag=tag,
        entity="member",
        entity_id=a.id,  # type: ignore[arg-type]
        county_code=a.county_code,
        village_code=a.village_code,
        household_id=a.household_id,
        before=before,
        after=after,
        reason=reason,
    )


def _locked(session: Session, a: Member, b: Member) -> tuple[Member, Member]:
    """Both people locked, in the order of their ids (two declarations of one pair, either way
    round, then run one after the other and the second finds the first)."""
    for member in sorted({a.id: a, b.id: b}.values(), key=lambda m: m.id):
        relock(session, member)
    return a, b


@use_case
def declare(session: Session, *, actor: Principal, a: Member, b: Member, data: KinIn) -> KinRelation:
    """Declare that ``a`` is ``data.kind`` of ``b`` (both fetched within the actor's scope)."""
    a, b = _locked(session, a, b)
    if a.id == b.id:
        raise Invalid(_l("A person cannot be their own relative."), field="member_b", code="same_person")
    if a.county_code != b.county_code:
        raise Invalid(_l("Kinship is declared between residents of one county."), field="member_b", code="other_county")
    if find(session, a, b) is not None:
        raise Conflict(
            _l("A relation between these two people is already declared."), field="member_b", code="kin_exists"
        )
    relation = KinRelation(county_code=a.county_code, member_a=a.id, member_b=b.id, kind=data.kind, note=data.note)
    session.add(relation)
    session.flush()
    _history(session, actor, Tag.DECLARED, a, b, data.kind, data.note, data.reason)
    return relation


@use_case
def remove(session: Session, *, actor: Principal, a: Member, b: Member, reason: str) -> None:
    """Remove the relation declared between two people, whichever way round."""
    a, b = _locked(session, a, b)
    relation = find(session, a, b)
    if relation is None:
        raise NotFound(_l("No relation is declared between these two people."))
    first, second = (a, b) if relation.member_a == a.id else (b, a)
    kind, note = relation.kind, relation.note
    session.delete(relation)
    session.flush()
    _history(session, actor, Tag.REMOVED, first, second, kind, note, reason)
