"""Days in the village per cadre for a month: the one input of the allowances.

Supervision will record days in the village (check-ins, leave); when it does, it registers
a source here (``register``) and the allowances follow it. Until then — and for a county or
month that no source knows — the days are the official working days of the month inside
the cadre's postings (``from_postings``), one query and a few array operations per county.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import numpy as np
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from zhucun.selection.cadres.models import CadrePosting

from . import rules

# (session, county code (6 digits), first day of the month) → {cadre id: days}, or None
# when the source has no record for that county and month.
DaysSource = Callable[[Session, str, date], dict[int, int] | None]
SOURCES: list[DaysSource] = []


def register(source: DaysSource) -> None:
    """Let a mechanism that records days in the village (supervision) supply them."""
    if source not in SOURCES:
        SOURCES.append(source)


def from_postings(session: Session, county: str, month: date) -> dict[int, int]:
    """Working days of the month inside each cadre's postings in the county."""
    days = rules.month_days(month)
    first, last = days[0], days[-1]
    rows = session.execute(
        select(CadrePosting.cadre_id, CadrePosting.start_date, CadrePosting.end_date).where(
            CadrePosting.county_code == county,
            CadrePosting.start_date <= last,
            or_(CadrePosting.end_date.is_(None), CadrePosting.end_date >= first),
        )
    ).all()
    if not rows:
        return {}
    starts = np.array([r.start_date for r in rows], dtype="datetime64[D]")
    ends = np.array([r.end_date if r.end_date else rules.NONE for r in rows], dtype="datetime64[D]")
    worked = rules.posted_workdays(month, starts, ends)
    ids, totals = rules.per_cadre(np.array([r.cadre_id for r in rows], dtype=np.int64), worked)
    return dict(zip(ids.tolist(), totals.tolist(), strict=True))


def days_in_village(session: Session, county: str, month: date) -> tuple[dict[int, int], str]:
    """Days per cadre and where they came from: the first source that knows the month, or
    the postings."""
    month = month.replace(day=1)
    for source in SOURCES:
        found = source(session, county, month)
        if found is not None:
            return found, "records"
    return from_postings(session, county, month), "postings"
