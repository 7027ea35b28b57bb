"""The monitoring signals of each village as the last sweep found them (``SignalTally``):
the sweep computes the signals of its area once (signals.compute, in bulk) and stores a
count per village with the day; the home page reads the stored counts in one indexed
query, so a view never recomputes the signals over the register."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from zhucun.core.scope import Area, Scope
from zhucun.divisions.models import Division

from . import signals
from .models import SignalTally


@dataclass(frozen=True)
class Tally:
    pending: int
    as_of: date | None  # the oldest sweep the count rests on; None: the area was never swept


def store(session: Session, division: str, on: date) -> int:
    """Replace the tallies of the division's villages with the signals as of ``on`` (the
    last full year's incomes, as the signals page defaults to); the pending total."""
    found = signals.compute(session, division, signals.Settings.of(on.year - 1), on)
    area = Area.of(division)
    scope = Scope.of([area]).resolve(session)
    villages = session.scalars(select(Division.code).where(Division.level == "village", area.within(Division.code)))
    signalled = _per_village(found.village)
    pending = _per_village(found.village[found.state == signals.PENDING])
    rows = [
        {
            "county_code": code[:6],
            "village_code": code,
            "as_of": on,
            "signalled": signalled.get(code, 0),
            "pending": pending.get(code, 0),
        }
        for code in villages
    ]
    session.execute(
        delete(SignalTally).where(scope.county_clause(SignalTally.county_code), area.within(SignalTally.village_code))
    )
    if rows:
        session.execute(insert(SignalTally), rows)
    return sum(pending.values())


def _per_village(villages: np.ndarray) -> dict[str, int]:
    codes, counts = np.unique(villages, return_counts=True)
    return {str(code): int(count) for code, count in zip(codes, counts, strict=True)}


def pending(session: Session, division: str) -> Tally:
    """The stored pending signals of the division (one indexed read of its villages' rows)."""
    area = Area.of(division)
    scope = Scope.of([area]).resolve(session)
    total, as_of = session.execute(
        select(func.sum(SignalTally.pending), func.min(SignalTally.as_of)).where(
            scope.county_clause(SignalTally.county_code), area.within(SignalTally.village_code)
        )
    ).one()
    return Tally(int(total or 0), as_of)
