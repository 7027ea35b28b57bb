"""Cadre reads: found by name, by ID number (through its keyed hash, never in clear), by
unit, area, posting and role; keyset pages in the order of the (division_code, id) index;
a cadre's history. Always within the session's scope (for a unit's account: its cadres)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from zhucun.core.codes import is_code, prefix_of, prefix_upper_bound
from zhucun.core.pagination import keyset
from zhucun.core.protect import Protector
from zhucun.core.scope import ACROSS_AREAS
from zhucun.registry.models import RegistryChange
from zhucun.selection.cadres.models import Cadre, CadrePosting


def cadre_statement(
    protector: Protector,
    *,
    q: str | None = None,
    unit_id: int | None = None,
    area: str | None = None,
    posted: bool | None = None,
    role: str | None = None,
) -> Select[Any]:
    statement = select(Cadre)
    if area and is_code(area):
        prefix = prefix_of(area)
        statement = statement.where(Cadre.division_code >= prefix, Cadre.division_code < prefix_upper_bound(prefix))
    if unit_id:
        statement = statement.where(Cadre.unit_id == unit_id)
    if posted is not None or role:
        holders = select(CadrePosting.cadre_id).where(CadrePosting.end_date.is_(None))
        if role:
            holders = holders.where(CadrePosting.role == role)
        statement = statement.where(Cadre.id.in_(holders) if posted is not False else Cadre.id.not_in(holders))
    text = (q or "").strip()
    if text:
        id_hash = protector.lookup(text)
        by_name = Cadre.name.startswith(text, autoescape=True)
        statement = statement.where(Cadre.id_hash == id_hash if id_hash else by_name)
    return statement


def page(session: Session, statement: Select[Any], *, cursor: str | None, limit: int) -> tuple[list[Cadre], str | None]:
    return keyset(
        session,
        statement,
        [Cadre.division_code, Cadre.id],
        cursor=cursor,
        limit=limit,
        key=lambda c: [c.division_code, c.id],
    )


def stream(session: Session, statement: Select[Any]) -> Iterator[Cadre]:
    """Every cadre of a list, for exports, in batches and in the list's order."""
    yield from session.scalars(statement.order_by(Cadre.division_code, Cadre.id).execution_options(yield_per=2000))


def history_of(
    session: Session, cadre: Cadre, *, cursor: str | None = None, limit: int = 50
) -> tuple[list[RegistryChange], str | None]:
    # The rows carry the division the cadre served in at the time; the cadre itself was
    # reached through the scope, so its whole history is shown.
    statement = (
        select(RegistryChange)
        .where(
            RegistryChange.county_code == cadre.county_code,
            RegistryChange.household_id.is_(None),
            RegistryChange.entity == "cadre",
            RegistryChange.entity_id == cadre.id,
        )
        .execution_options(**ACROSS_AREAS)
    )
    return keyset(
        session, statement, [RegistryChange.id], cursor=cursor, limit=limit, key=lambda c: [c.id], descending=True
    )
