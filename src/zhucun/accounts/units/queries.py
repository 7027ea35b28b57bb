"""Unit reads: the list with its filters in name order (keyset pages), the counties a unit
is paired with, and how many of its cadres the caller may see."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from zhucun.accounts.units.models import Unit, UnitPairing
from zhucun.accounts.units.schemas import CadreCounts, PairingOut
from zhucun.core.pagination import keyset
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import Cadre, CadrePosting


def unit_statement(*, q: str | None = None, level: str | None = None, kind: str | None = None) -> Select[Any]:
    statement = select(Unit)
    text = (q or "").strip()
    if text:
        # Units are few (thousands across the country) and found by any part of the name.
        statement = statement.where(Unit.name.contains(text, autoescape=True))
    if level:
        statement = statement.where(Unit.level == level)
    if kind:
        statement = statement.where(Unit.kind == kind)
    return statement


def page(session: Session, statement: Select[Any], *, cursor: str | None, limit: int) -> tuple[list[Unit], str | None]:
    return keyset(session, statement, [Unit.name, Unit.id], cursor=cursor, limit=limit, key=lambda u: [u.name, u.id])


def stream(session: Session, statement: Select[Any]) -> Iterator[Unit]:
    yield from session.scalars(statement.order_by(Unit.name, Unit.id).execution_options(yield_per=2000))


def pairings_of(session: Session, unit_ids: list[int] | None = None) -> dict[int, list[PairingOut]]:
    """The paired counties of each unit (of every unit, for exports), named where the
    caller's area holds them."""
    statement = (
        select(UnitPairing.unit_id, UnitPairing.division_code, Division.name)
        .outerjoin(Division, Division.code == UnitPairing.division_code)
        .order_by(UnitPairing.division_code)
    )
    if unit_ids is not None:
        statement = statement.where(UnitPairing.unit_id.in_(unit_ids))
    rows = session.execute(statement).all()
    found: dict[int, list[PairingOut]] = {}
    for unit_id, code, name in rows:
        found.setdefault(unit_id, []).append(PairingOut(division_code=code, name=name))
    return found


def cadre_counts(session: Session, unit_id: int) -> CadreCounts:
    total = session.scalar(select(func.count(Cadre.id)).where(Cadre.unit_id == unit_id)) or 0
    roles = session.execute(
        select(CadrePosting.role, func.count())
        .join(Cadre, (Cadre.county_code == CadrePosting.county_code) & (Cadre.id == CadrePosting.cadre_id))
        .where(Cadre.unit_id == unit_id, CadrePosting.end_date.is_(None))
        .group_by(CadrePosting.role)
    ).all()
    by_role = dict(roles)
    return CadreCounts(total=total, posted=sum(by_role.values()), by_role=by_role)


def names(session: Session, unit_ids: set[int | None]) -> dict[int, str]:
    """Names of the units the caller may see, for lists of cadres."""
    ids = [i for i in unit_ids if i is not None]
    if not ids:
        return {}
    return dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())


def all_names(session: Session) -> dict[int, str]:
    """Names of every unit the caller may see (a small table), for exports."""
    return dict(session.execute(select(Unit.id, Unit.name)).all())


def choices(session: Session, limit: int = 500) -> list[Unit]:
    """The units of the caller's area, for a choice list."""
    return list(session.scalars(select(Unit).order_by(Unit.name).limit(limit)))
