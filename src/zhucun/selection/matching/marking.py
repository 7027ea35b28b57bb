"""Taking a village off a term's marked villages: allowed while the county's proposal is not
approved (its proposed posts go with it), refused once it is — the postings exist by then."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from zhucun.core import audit
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict, NotFound
from zhucun.core.i18n import _l
from zhucun.core.scope import access_by
from zhucun.core.tx import lock, use_case

from .models import Assignment, MarkedVillage, MatchRun
from .tags import Tag


@use_case
def unmark_village(session: Session, *, actor: Principal, code: str, term: int) -> None:
    """Unmark a village for the term, with the posts proposed for it."""
    access_by(session, MarkedVillage, county_code=code[:6], term=term, village_code=code)
    run = lock(session, MatchRun, code[:6], term)
    if run is not None and run.status == "approved":
        raise Conflict(
            _l("The term's proposal is already approved: the village can no longer be unmarked."),
            field="code",
            code="approved",
        )
    mark = lock(session, MarkedVillage, code[:6], term, code)
    if mark is None:  # unmarked meanwhile by someone else
        raise NotFound(field="code")
    before = {"term": term, "needs": mark.needs, "team_size": mark.team_size, "note": mark.note}
    # Explicitly, not by the foreign key's cascade: SQLite enforces it only when asked to.
    session.execute(
        delete(Assignment).where(
            Assignment.county_code == code[:6], Assignment.term == term, Assignment.village_code == code
        )
    )
    session.delete(mark)
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.UNMARKED,
        entity="village",
        entity_id=code,
        division=code,
        before=before,
        after={"term": term},
    )
