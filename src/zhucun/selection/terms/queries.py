"""The read side of terms: each open posting of a county with its term and end, the terms
ending within a window, a handover checklist, the lists. Always scoped, always one county."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from zhucun.selection.cadres.models import Cadre, CadrePosting

from . import rules
from .models import Handover, HandoverTick, ListEntry, PostingTerm
from .settings import rules_for


def open_terms(session: Session, county: str) -> list[dict[str, Any]]:
    """The county's open postings (in the reader's scope) with their term and term end."""
    county = county[:6]
    rows = session.execute(
        select(CadrePosting, Cadre.name, Cadre.unit_id, PostingTerm.term, PostingTerm.term_end)
        .join(Cadre, and_(Cadre.county_code == CadrePosting.county_code, Cadre.id == CadrePosting.cadre_id))
        .join(
            PostingTerm,
            and_(PostingTerm.county_code == CadrePosting.county_code, PostingTerm.posting_id == CadrePosting.id),
            isouter=True,
        )
        .where(CadrePosting.county_code == county, CadrePosting.end_date.is_(None))
        .order_by(CadrePosting.village_code, CadrePosting.role, CadrePosting.id)
    ).all()
    if not rows:
        return []
    # The term length is the province's for the year the term started: a few years at most.
    years = {p.start_date.year for p, *_ in rows} | {t for *_, t, _ in rows if t is not None}
    length = {y: rules_for(session, county[:2], y).term_years for y in years}
    terms = [t if t is not None else p.start_date.year for p, _, _, t, _ in rows]
    ends = rules.term_ends([p.start_date for p, *_ in rows], [length[t] for t in terms], [end for *_, end in rows])
    return [
        {
            "posting_id": p.id,
            "county_code": p.county_code,
            "cadre_id": p.cadre_id,
            "name": name,
            "unit_id": unit_id,
            "village_code": p.village_code,
            "role": p.role,
            "start_date": p.start_date,
            "term": term,
            "term_end": end.astype(date),
        }
        for (p, name, unit_id, _, _), term, end in zip(rows, terms, ends, strict=True)
    ]


def ending(session: Session, county: str, days: int, today: date | None = None) -> list[dict[str, Any]]:
    """Open postings whose term ends within ``days`` days from today, the soonest first."""
    return by_end(session, county, days, today)[1]


def ended(session: Session, county: str, today: date | None = None) -> list[dict[str, Any]]:
    """Open postings whose term has already ended (not rotated yet), the longest overdue first,
    each with the days since its end."""
    return by_end(session, county, 0, today)[0]


def by_end(
    session: Session, county: str, days: int, today: date | None = None
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The county's open postings whose term has ended, and those whose term ends within
    ``days`` days, from one read of the open terms (the home page wants both counts)."""
    today = today or date.today()
    found = open_terms(session, county)
    if not found:
        return [], []
    ends = np.array([r["term_end"] for r in found], dtype="datetime64[D]")
    over = rules.ended_by(ends, today)
    soon = rules.ending_within(ends, today, days)
    past = [dict(r, days_over=(today - r["term_end"]).days) for r, keep in zip(found, over, strict=True) if keep]
    coming = [dict(r, days_left=(r["term_end"] - today).days) for r, keep in zip(found, soon, strict=True) if keep]
    return (
        sorted(past, key=lambda r: (r["term_end"], r["village_code"])),
        sorted(coming, key=lambda r: (r["term_end"], r["village_code"])),
    )


def ended_terms(rows: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """The terms (years they started) that have ended postings, with how many: what the
    rotation form offers, so that nobody types a year."""
    counts: dict[int, int] = {}
    for r in rows:
        counts[int(r["term"])] = counts.get(int(r["term"]), 0) + 1
    return sorted(counts.items())


def ticks_of(session: Session, handover: Handover) -> list[HandoverTick]:
    return list(
        session.scalars(
            select(HandoverTick).where(
                HandoverTick.county_code == handover.county_code, HandoverTick.posting_id == handover.posting_id
            )
        )
    )


def handovers(session: Session, county: str, status: str | None = None) -> list[Handover]:
    statement = select(Handover).where(Handover.county_code == county[:6])
    if status:
        statement = statement.where(Handover.status == status)
    return list(session.scalars(statement.order_by(Handover.opened_on.desc(), Handover.posting_id)))


def list_entries(session: Session, counties: list[str], term: int | None, kind: str | None) -> list[Any]:
    """Entries of the lists with the cadre's name, in the reader's scope."""
    statement = (
        select(ListEntry, Cadre.name)
        .join(Cadre, and_(Cadre.county_code == ListEntry.county_code, Cadre.id == ListEntry.cadre_id))
        .where(ListEntry.county_code.in_(counties))
    )
    if term is not None:
        statement = statement.where(ListEntry.term == term)
    if kind:
        statement = statement.where(ListEntry.kind == kind)
    return list(session.execute(statement.order_by(ListEntry.term.desc(), ListEntry.kind, Cadre.name)).all())


def cadres_of(session: Session, county: str) -> list[tuple[int, str]]:
    """The county's cadres (in the reader's scope) by name, for the list form's picker."""
    rows = session.execute(select(Cadre.id, Cadre.name).where(Cadre.county_code == county[:6]).order_by(Cadre.name))
    return [(int(i), str(n)) for i, n in rows]
