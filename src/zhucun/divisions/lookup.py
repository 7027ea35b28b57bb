"""Divisions looked up outside the caller's area: the one module that does it.

Division codes and names are public reference data (the statistics bureau publishes them),
so a check that a code exists, or the name of a division the caller's area does not hold
(a unit's seat, a cadre's hometown, a parent in an imported table), may read every area.
Nothing here lists rows of an area.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.scope import across_areas
from .models import Division


def any_division(session: Session, code: str | None) -> Division | None:
    """The division with this code wherever it lies, or None."""
    if not code:
        return None
    return session.scalars(across_areas(select(Division).where(Division.code == code))).first()


def known_codes(session: Session) -> set[str]:
    """Every division code on record (an import's parents may lie outside the importer's area)."""
    statement = across_areas(select(Division.code)).execution_options(yield_per=50_000)
    return set(session.scalars(statement))


def names_of(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """Names of divisions wherever they lie."""
    wanted = sorted({c for c in codes if c})
    if not wanted:
        return {}
    statement = across_areas(select(Division.code, Division.name).where(Division.code.in_(wanted)))
    return dict(session.execute(statement).tuples().all())
