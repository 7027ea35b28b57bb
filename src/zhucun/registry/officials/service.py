"""Village official use cases: appoint a resident to a post, end a term. Each takes the
acting principal, checks the rules, keeps the history (in the resident's household's
history too), and commits once."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.locks import serialize
from zhucun.core.tx import relock, use_case
from zhucun.registry.models import Member
from zhucun.registry.officials.models import SINGLE_HOLDER_POSTS, VillageOfficial
from zhucun.registry.service import lock_member

from ...core import present
from ...core.auth import Principal
from ...core.codes import level_of
from ...core.errors import Conflict, Invalid, NotFound
from ...core.i18n import _l
from ...core.ids import allocate
from ...core.present import Action
from ...core.scope import access, access_by
from ...divisions.models import Division
from .. import catalogues as cat
from ..history import record, state
from .schemas import OfficialIn, TermEnd

FIELDS = ("member_id", "post", "term_start", "term_end")


class Tag(StrEnum):
    APPOINTED = "registry:official:appointed"
    TERM_ENDED = "registry:official:term_ended"


LABELS = present.actions(
    {
        Tag.APPOINTED: Action(
            _l("Village official appointed"), _l("appointed {member_id} as {post} from {term_start}"), clauses=False
        ),
        Tag.TERM_ENDED: Action(
            _l("Village official's term ended"), _l("ended the term of {object} on {term_end}"), clauses=False
        ),
    }
)


def access_official(session: Session, county_code: str, official_id: int) -> VillageOfficial:
    return access_by(session, VillageOfficial, county_code=county_code, id=official_id)


def access_village(session: Session, code: str) -> Division:
    village = access(session, Division, code)
    if level_of(code) != "village":
        raise NotFound()
    return village


def _history(
    session: Session,
    actor: Principal,
    tag: Tag,
    official: VillageOfficial,
    household_id: int | None,
    before: Any,
    after: Any,
    reason: str | None,
) -> None:
    record(
        session,
        actor=actor,
        tag=tag,
        entity="official",
        entity_id=official.id,
        county_code=official.county_code,
        village_code=official.village_code,
        household_id=household_id,
        before=before,
        after=after,
        reason=reason,
    )


def _resident(session: Session, village: Division, member_id: int) -> Member:
    try:
        member = access_by(session, Member, id=member_id)
    except NotFound:
        raise Invalid(
            _l("No resident of your area has the number {member}."),
            field="member_id",
            code="unknown_member",
            member=member_id,
        ) from None
    _check_resident(member, village)
    return member


def _check_resident(member: Member, village: Division) -> None:
    if member.village_code != village.code:
        raise Invalid(
            _l("{name} does not live in this village."), field="member_id", code="other_village", name=member.name
        )
    if member.status != "1":
        raise Invalid(
            _l("{name} is no longer on a household's roll."), field="member_id", code="not_registered", name=member.name
        )


def _open_terms(session: Session, village_code: str, post: str) -> list[VillageOfficial]:
    return list(
        session.scalars(
            select(VillageOfficial).where(
                VillageOfficial.village_code == village_code,
                VillageOfficial.post == post,
                VillageOfficial.term_end.is_(None),
            )
        )
    )


def _check_post_free(session: Session, village: Division, member: Member, post: str) -> None:
    holders = _open_terms(session, village.code, post)
    label = cat.OFFICIAL_POST.label(post)
    if any(h.member_id == member.id for h in holders):
        raise Conflict(
            _l("{name} already holds the post of {post}."),
            field="post",
            code="already_holding",
            name=member.name,
            post=label,
        )
    if holders and post in SINGLE_HOLDER_POSTS:
        raise Conflict(
            _l("The village already has a {post} (since {start}); end that term first."),
            field="post",
            code="post_taken",
            post=label,
            start=holders[0].term_start,
        )


@use_case
def appoint(session: Session, *, actor: Principal, village: Division, data: OfficialIn) -> VillageOfficial:
    """Appoint a resident of the village to a post from the start of a term."""
    # The village's posts are serialised by a lock named after the village (the village is a
    # reference row, copied to every node on Citus: not one to lock for a household's sake);
    # then the resident's household is locked, so that they cannot leave its roll meanwhile.
    serialize(session, f"village_officials:{village.code}")
    member = _resident(session, village, data.member_id)
    member = lock_member(session, member)
    _check_resident(member, village)
    if member.birth_date and data.term_start <= member.birth_date:
        raise Invalid(_l("The date is before the birth date."), field="term_start", code="implausible_date")
    _check_post_free(session, village, member, data.post)  # type: ignore[arg-type]
    official = VillageOfficial(
        county_code=member.county_code,
        id=allocate(session, "village_officials"),
        member_id=member.id,
        village_code=village.code,
        post=data.post,
        term_start=data.term_start,
    )
    session.add(official)
    session.flush()
    _history(session, actor, Tag.APPOINTED, official, member.household_id, None, state(official, FIELDS), data.reason)
    return official


@use_case
def end_term(session: Session, *, actor: Principal, official: VillageOfficial, data: TermEnd) -> VillageOfficial:
    """End an official's term on a day, with the reason (election, resignation, removal…)."""
    official = relock(session, official)
    if official.term_end is not None:
        raise Conflict(_l("This term has already ended."), field="term_end", code="term_ended")
    if data.term_end < official.term_start:
        raise Invalid(
            _l("A term cannot end before it started ({start})."),
            field="term_end",
            code="end_before_start",
            start=official.term_start,
        )
    if data.term_end > date.today():
        raise Invalid(_l("The date is in the future."), field="term_end", code="future_date")
    before = state(official, FIELDS)
    official.term_end = data.term_end
    session.flush()
    # An official who no longer sits helps no one: their households get other helpers now.
    # (Imported here: the helpers read the register, which must not need the helpers to load.)
    from zhucun.selection.helpers import leaving

    leaving.release(session, actor=actor, county=official.county_code, officials=[official.id], reason=data.reason)
    household_id = session.scalar(
        select(Member.household_id).where(Member.county_code == official.county_code, Member.id == official.member_id)
    )
    _history(
        session,
        actor,
        Tag.TERM_ENDED,
        official,
        household_id,
        {"term_end": before["term_end"]},
        {"term_end": state(official, FIELDS)["term_end"]},
        data.reason,
    )
    return official
