"""Pure rules about cadres: the eligibility facts that selection rules read (age, years of
work, years of party membership) and the plausibility of a cadre's dates.

Facts only: the thresholds (two years of work, one year in the party…) belong to the
selection rules, which are configurable; here nothing is compared with a threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from zhucun.core.i18n import _l


@dataclass(frozen=True)
class Eligibility:
    """Whole years completed on a given day; None where the start is unknown."""

    age: int | None
    years_of_work: int | None
    years_in_party: int | None


def full_years(start: date | None, on: date) -> int | None:
    """Whole years from ``start`` to ``on`` (an anniversary counts on its day; 29 February
    is reached on 1 March in common years). None for an unknown or future start."""
    if start is None or start > on:
        return None
    years = on.year - start.year
    if (on.month, on.day) < (start.month, start.day):
        years -= 1
    return years


def eligibility(
    *, birth_date: date | None, work_started: date | None, party_member: bool, party_joined: date | None, on: date
) -> Eligibility:
    """The facts selection rules use, as they stand on ``on``."""
    return Eligibility(
        age=full_years(birth_date, on),
        years_of_work=full_years(work_started, on),
        years_in_party=full_years(party_joined, on) if party_member else None,
    )


def date_faults(
    *, birth_date: date | None, work_started: date | None, party_member: bool, party_joined: date | None, today: date
) -> list[tuple[str, Any]]:
    """(field, message) for each implausible date, in the order a form shows the fields."""
    faults: list[tuple[str, Any]] = []
    for field, value in (("work_started", work_started), ("party_joined", party_joined)):
        if value is None:
            continue
        if value > today:
            faults.append((field, _l("The date is in the future.")))
        elif birth_date is not None and value <= birth_date:
            faults.append((field, _l("The date is before the birth date.")))
    if party_joined is not None and not party_member:
        faults.append(("party_joined", _l("A date of joining the party needs party membership.")))
    return faults


@dataclass(frozen=True)
class PostingClash:
    """Why a cadre cannot take a posting starting on a day: ``already_posted`` (an open
    posting since ``day``) or ``overlapping_posting`` (the previous one ended on ``day``)."""

    code: str
    day: date


def posting_clash(postings: list[tuple[date, date | None]], start: date) -> PostingClash | None:
    """A cadre holds one open posting at a time, and a new one starts after the last ended."""
    open_since = next((begin for begin, end in postings if end is None), None)
    if open_since is not None:
        return PostingClash("already_posted", open_since)
    last_end = max((end for _begin, end in postings if end is not None), default=None)
    if last_end is not None and start < last_end:
        return PostingClash("overlapping_posting", last_end)
    return None
