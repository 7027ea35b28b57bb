"""Term use cases: rotate a county's ended terms (postings end, cadres are released, villages
go back into the next term's matching, checklists open — one audited action), tick and close
a handover checklist, put a cadre on a list. Each one transaction."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from zhucun.core import audit, present
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict, Invalid
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.present import Action
from zhucun.core.tx import lock, use_case
from zhucun.divisions.models import Division
from zhucun.divisions.queries import access_county
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.helpers import leaving as helpers
from zhucun.selection.matching import loader
from zhucun.selection.matching.models import MarkedVillage
from zhucun.selection.matching.service import default_needs

from . import queries, rules
from .models import Handover, HandoverTick, ListEntry
from .settings import HANDOVER, LIST_KIND, rules_for

TERM_END_REASON = "任期届满"


class Tag(StrEnum):
    ROTATED = "selection:term:rotated"
    TICKED = "selection:handover:ticked"
    HANDED_OVER = "selection:handover:closed"
    LISTED = "selection:list:added"


LABELS = present.actions(
    {
        Tag.ROTATED: Action(_l("Terms rotated"), _l("rotated the ended terms of {object}"), clauses=False),
        Tag.TICKED: Action(_l("Handover item ticked"), _l("ticked a handover item of {object}"), clauses=False),
        Tag.HANDED_OVER: Action(_l("Handover closed"), _l("closed the handover of {object}"), clauses=False),
        Tag.LISTED: Action(_l("Cadre put on a list"), _l("put {object} on a list"), clauses=False),
    }
)


def open_handovers(session: Session, postings: list[dict[str, Any]], on: date) -> None:
    """Checklists for ending postings that have none yet, with the items of the province's year."""
    if not postings:
        return
    county = postings[0]["county_code"]
    have = set(
        session.scalars(
            select(Handover.posting_id).where(
                Handover.county_code == county, Handover.posting_id.in_([p["posting_id"] for p in postings])
            )
        )
    )
    items = list(rules_for(session, county[:2], on.year).handover_items)
    rows = [
        {
            "county_code": county,
            "posting_id": p["posting_id"],
            "cadre_id": p["cadre_id"],
            "village_code": p["village_code"],
            "unit_id": p["unit_id"],
            "items": items,
            "status": "open",
            "opened_on": on,
        }
        for p in postings
        if p["posting_id"] not in have
    ]
    if rows:
        session.execute(insert(Handover), rows)


def mark_for_term(session: Session, county: str, villages: list[str], term: int) -> list[str]:
    """Mark the villages for the term (those not marked yet), with the needs their flags say."""
    marked = set(
        session.scalars(
            select(MarkedVillage.village_code).where(
                MarkedVillage.county_code == county[:6],
                MarkedVillage.term == term,
                MarkedVillage.village_code.in_(villages),
            )
        )
    )
    fresh = sorted(set(villages) - marked)
    if not fresh:
        return []
    team_size = loader.rules_for(session, county[:2], term).team_size
    divisions = session.scalars(select(Division).where(Division.code.in_(fresh)))
    rows = [
        {
            "county_code": county[:6],
            "term": term,
            "village_code": d.code,
            "needs": default_needs(d),
            "team_size": team_size,
        }
        for d in divisions
    ]
    session.execute(insert(MarkedVillage), rows)
    return fresh


@use_case
def rotate(
    session: Session, *, actor: Principal, county: str, term: int, on: date, reason: str | None = None
) -> dict[str, Any]:
    """End every posting of the county whose term ``term`` has ended by ``on``: the cadres are
    released, their villages are marked for the next term, and checklists open."""
    access_county(session, county)
    if on > date.today():
        raise Invalid(_l("The date is in the future."), field="on", code="future_date")
    code = county[:6]
    # The postings are locked before their terms are read, so that a posting ended by hand
    # meanwhile is not ended twice.
    # (FOR UPDATE on PostgreSQL; SQLite's single writer is serialised at BEGIN IMMEDIATE.)
    open_postings = select(CadrePosting.id).where(CadrePosting.county_code == code, CadrePosting.end_date.is_(None))
    session.execute(open_postings.with_for_update()).all()
    found = queries.open_terms(session, county)
    ends = np.array([r["term_end"] for r in found], dtype="datetime64[D]")
    terms = np.array([r["term"] for r in found], dtype=np.int64)
    chosen = [r for r, keep in zip(found, rules.due(ends, terms, term, on), strict=True) if keep]
    next_term = term + rules_for(session, code[:2], term).term_years
    marked: list[str] = []
    moved: dict[str, Any] | None = None
    if chosen:
        # One statement per term end (a county's terms end on a few days): Citus's router
        # cannot type a CASE over the posting ids ("operator does not exist: bigint = boolean").
        ending: dict[date, list[int]] = {}
        for r in chosen:
            ending.setdefault(r["term_end"], []).append(r["posting_id"])
        for end, posting_ids in sorted(ending.items()):
            session.execute(
                update(CadrePosting)
                .where(CadrePosting.county_code == code, CadrePosting.id.in_(posting_ids))
                .values(end_date=end, end_reason=TERM_END_REASON)
                .execution_options(synchronize_session=False)
            )
        session.execute(
            update(Cadre)
            .where(Cadre.county_code == code, Cadre.id.in_([r["cadre_id"] for r in chosen]))
            .values(division_code=code + "000000")
            .execution_options(synchronize_session=False)
        )
        open_handovers(session, chosen, on)
        moved = helpers.release(
            session, actor=actor, county=code, cadres=[r["cadre_id"] for r in chosen], reason=TERM_END_REASON
        )
        marked = mark_for_term(session, code, sorted({r["village_code"] for r in chosen}), next_term)
    session.expire_all()
    summary = {
        "term": term,
        "next_term": next_term,
        "ended": len(chosen),
        "postings": [(r["posting_id"], r["cadre_id"], r["village_code"], r["term_end"]) for r in chosen],
        "marked": marked,
        # The rotated cadres' households, moved to other helpers or left without.
        "helpers": moved,
    }
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.ROTATED,
        entity="county",
        entity_id=county,
        division=county,
        after=summary,
        reason=reason,
    )
    return summary


def _posting_row(posting: CadrePosting, cadre: Cadre) -> dict[str, Any]:
    return {
        "county_code": posting.county_code,
        "posting_id": posting.id,
        "cadre_id": posting.cadre_id,
        "village_code": posting.village_code,
        "unit_id": cadre.unit_id,
    }


@use_case
def tick(
    session: Session, *, actor: Principal, posting: CadrePosting, cadre: Cadre, item: str, note: str | None, on: date
) -> Handover:
    """Tick one item of the posting's checklist (opened now if the term end is still ahead)."""
    handover = lock(session, Handover, posting.county_code, posting.id)
    if handover is None:
        open_handovers(session, [_posting_row(posting, cadre)], on)
        handover = lock(session, Handover, posting.county_code, posting.id)
    assert handover is not None
    if handover.status != "open":
        raise Conflict(_l("The handover is already closed."), field="item", code="handover_closed")
    if item not in handover.items:
        raise Invalid(_l("{item} is not on this checklist."), field="item", code="not_on_checklist", item=item)
    if any(t.item == item for t in queries.ticks_of(session, handover)):
        raise Conflict(_l("This item is already ticked."), field="item", code="ticked")
    session.add(
        HandoverTick(
            county_code=posting.county_code,
            posting_id=posting.id,
            item=item,
            village_code=posting.village_code,
            ticked_by=actor.username,
            note=note,
        )
    )
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.TICKED,
        entity="posting",
        entity_id=posting.id,
        division=posting.village_code,
        after={"item": item, "note": note},
    )
    return handover


@use_case
def close_handover(session: Session, *, actor: Principal, posting: CadrePosting, on: date) -> Handover:
    """Close the checklist as handed over: refused with the first item not ticked."""
    handover = lock(session, Handover, posting.county_code, posting.id)
    if handover is None:
        raise Invalid(_l("The posting has no handover checklist yet."), field="items", code="no_handover")
    if handover.status != "open":
        raise Conflict(_l("The handover is already closed."), field="items", code="handover_closed")
    if posting.end_date is None:
        raise Conflict(_l("The posting has not ended yet."), field="items", code="posting_open")
    missing = rules.missing_items(handover.items, [t.item for t in queries.ticks_of(session, handover)])
    if missing:
        raise Invalid(
            _l("Not handed over yet: {item}."), field="items", code="item_missing", item=HANDOVER.label(missing[0])
        )
    handover.status, handover.closed_on, handover.closed_by = "handed_over", on, actor.username
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.HANDED_OVER,
        entity="posting",
        entity_id=posting.id,
        division=posting.village_code,
        after={"status": "handed_over", "closed_on": on},
    )
    return handover


def add_entry(
    session: Session,
    actor: Principal,
    cadre: Cadre,
    *,
    term: int,
    kind: str,
    reason: str,
    source: str,
    ref: dict[str, Any] | None = None,
) -> ListEntry:
    """A cadre on a list (a helper: the manual use case and the recall outcome call it)."""
    if kind not in LIST_KIND.items:
        raise Invalid(_l("Unknown list: {kind}."), field="kind", code="unknown_list", kind=kind)
    if not reason.strip():
        raise Invalid(_l("The reason is required."), field="reason", code="reason_required")
    entry = ListEntry(
        county_code=cadre.county_code,
        id=allocate(session, "cadre_list_entries"),
        term=term,
        kind=kind,
        cadre_id=cadre.id,
        division_code=cadre.county_code + "000000",
        unit_id=cadre.unit_id,
        reason=reason.strip(),
        source=source,
        source_ref=ref,
    )
    session.add(entry)
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.LISTED,
        entity="cadre",
        entity_id=cadre.id,
        division=cadre.county_code + "000000",
        after={"term": term, "kind": kind, "source": source},
        reason=reason,
    )
    return entry


@use_case
def put_on_list(session: Session, *, actor: Principal, cadre: Cadre, term: int, kind: str, reason: str) -> ListEntry:
    """Put a cadre on a term's list by hand (appraisal fills them later)."""
    exists = session.scalar(
        select(ListEntry.id).where(
            ListEntry.county_code == cadre.county_code,
            ListEntry.term == term,
            ListEntry.kind == kind,
            ListEntry.cadre_id == cadre.id,
        )
    )
    if exists is not None:
        raise Conflict(_l("The cadre is already on this list for the term."), field="cadre_id", code="listed")
    return add_entry(session, actor, cadre, term=term, kind=kind, reason=reason, source="manual")
