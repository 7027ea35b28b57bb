"""Posting use cases: post a cadre to a village in a role, end a posting with its reason.

A cadre has at most one open posting; while posted they serve in the village (their
``division_code`` is the village's), and when the posting ends they return to the county.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.auth import Principal
from zhucun.core.codes import level_of
from zhucun.core.errors import Conflict, Invalid
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.scope import ACROSS_AREAS, access, access_by
from zhucun.core.tx import relock, use_case
from zhucun.divisions.models import Division
from zhucun.registry.history import state
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.cadres.schemas import PostingEnd, PostingIn
from zhucun.selection.cadres.service import Tag, access_cadre, history
from zhucun.selection.helpers import leaving as helpers
from zhucun.selection.rules import posting_clash

FIELDS = ("id", "village_code", "role", "start_date", "end_date", "end_reason")


def access_posting(session: Session, county_code: str, posting_id: int) -> tuple[CadrePosting, Cadre]:
    """A posting and its cadre; both must lie in the scope (a unit's account: its own cadres)."""
    posting = access_by(session, CadrePosting, county_code=county_code, id=posting_id)
    return posting, access_cadre(session, posting.county_code, posting.cadre_id)


def postings_of(session: Session, cadre: Cadre) -> list[CadrePosting]:
    """The cadre's postings, the latest first."""
    # A cadre's postings are their record: read whole once the cadre was reached through the scope.
    return list(
        session.scalars(
            select(CadrePosting)
            .where(CadrePosting.county_code == cadre.county_code, CadrePosting.cadre_id == cadre.id)
            .order_by(CadrePosting.start_date.desc(), CadrePosting.id.desc())
            .execution_options(**ACROSS_AREAS, populate_existing=True)
        )
    )


def _village(session: Session, cadre: Cadre, code: str) -> Division:
    village = access(session, Division, code)
    if level_of(code) != "village":
        raise Invalid(_l("{division} is not a village."), field="village_code", code="not_a_village", division=code)
    if code[:6] != cadre.county_code:
        raise Invalid(
            _l("A cadre is posted within the county where they are registered."),
            field="village_code",
            code="other_county",
        )
    return village


def _check_free(session: Session, cadre: Cadre, start: date) -> None:
    clash = posting_clash([(p.start_date, p.end_date) for p in postings_of(session, cadre)], start)
    if clash is None:
        return
    if clash.code == "already_posted":
        raise Conflict(
            _l("The cadre is already posted (since {start}); end that posting first."),
            field="village_code",
            code=clash.code,
            start=clash.day,
        )
    raise Invalid(
        _l("The posting would start before the previous one ended ({end})."),
        field="start_date",
        code=clash.code,
        end=clash.day,
    )


@use_case
def post_cadre(session: Session, *, actor: Principal, cadre: Cadre, data: PostingIn) -> CadrePosting:
    """Post a cadre to a village in a role; they serve there from now on."""
    # The cadre is the aggregate of their postings: locked before the open posting is looked for.
    cadre = relock(session, cadre)
    village = _village(session, cadre, data.village_code)
    _check_free(session, cadre, data.start_date)
    posting = CadrePosting(
        county_code=cadre.county_code,
        id=allocate(session, "cadre_postings"),
        cadre_id=cadre.id,
        village_code=village.code,
        role=data.role,
        start_date=data.start_date,
    )
    session.add(posting)
    before = cadre.division_code
    cadre.division_code = village.code
    session.flush()
    history(
        session,
        actor,
        Tag.POSTED,
        cadre,
        {"division_code": before},
        {"division_code": village.code, "posting": state(posting, FIELDS)},
        data.reason,
    )
    return posting


class Ended(NamedTuple):
    """An ended posting, and what became of the households the cadre helped."""

    posting: CadrePosting
    helpers: dict[str, Any]


@use_case
def end_posting(session: Session, *, actor: Principal, posting: CadrePosting, cadre: Cadre, data: PostingEnd) -> Ended:
    """End an open posting with its reason; the cadre returns to the county, and the
    households they helped get other helpers in the same transaction."""
    cadre = relock(session, cadre)
    posting = relock(session, posting)
    if posting.end_date is not None:
        raise Conflict(_l("This posting has already ended."), field="end_date", code="posting_ended")
    if data.end_date < posting.start_date:
        raise Invalid(
            _l("A posting cannot end before it started ({start})."),
            field="end_date",
            code="end_before_start",
            start=posting.start_date,
        )
    if data.end_date > date.today():
        raise Invalid(_l("The date is in the future."), field="end_date", code="future_date")
    before = {"division_code": cadre.division_code, "posting": state(posting, FIELDS)}
    posting.end_date, posting.end_reason = data.end_date, data.end_reason
    cadre.division_code = cadre.county_code + "000000"
    session.flush()
    # The cadre leaves the village: no household may stay with a helper who is gone.
    moved = helpers.release(session, actor=actor, county=cadre.county_code, cadres=[cadre.id], reason=data.end_reason)
    history(
        session,
        actor,
        Tag.POSTING_ENDED,
        cadre,
        before,
        {"division_code": cadre.division_code, "posting": state(posting, FIELDS)},
        data.end_reason,
    )
    return Ended(posting, moved)
