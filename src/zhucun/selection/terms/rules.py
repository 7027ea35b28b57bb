"""Pure term rules over whole columns: when each term ends, which end within a window,
which have ended and are due for rotation, what a handover still lacks, and the best replacement for a
recalled post. No database: queries and services hand in arrays, the tests build them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def term_ends(starts: Sequence[date], years: Sequence[int], fixed: Sequence[date | None]) -> np.ndarray:
    """Each posting's term end: the end fixed for it (a replacement keeps the recalled
    term's end), otherwise the day before the start plus the term length."""
    ends = [
        f if f is not None else add_years(s, y) - timedelta(days=1)
        for s, y, f in zip(starts, years, fixed, strict=True)
    ]
    return np.array(ends, dtype="datetime64[D]")


def ending_within(ends: np.ndarray, today: date, days: int) -> np.ndarray:
    """Which terms end from today up to ``days`` days ahead (already ended ones are due, not warned)."""
    now = np.datetime64(today, "D")
    return (ends >= now) & (ends <= now + np.timedelta64(days, "D"))


def ended_by(ends: np.ndarray, today: date) -> np.ndarray:
    """Which terms ended before today (the last day of a term is still served): they are
    due for rotation and shown as overdue until it ends their postings."""
    ended: np.ndarray = ends < np.datetime64(today, "D")
    return ended


def due(ends: np.ndarray, terms: np.ndarray, term: int, on: date) -> np.ndarray:
    """Which postings of the term have reached their end by ``on`` (rotation takes them)."""
    ended: np.ndarray = (terms == term) & (ends <= np.datetime64(on, "D"))
    return ended


def missing_items(required: Sequence[str], ticked: Sequence[str]) -> list[str]:
    """The handover items not ticked yet, in the checklist's order."""
    done = set(ticked)
    return [item for item in required if item not in done]


def best_candidate(allowed: np.ndarray, value: np.ndarray) -> int | None:
    """The index of the allowed candidate of the highest value (the lowest index on a tie)."""
    if not allowed.any():
        return None
    scores = np.where(allowed, value, -np.inf)
    return int(np.argmax(scores))
