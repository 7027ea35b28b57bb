"""Unit use cases: register a unit, change it, pair it with a county and unpair it. Each
takes the acting principal, checks the rules, writes, audits, and commits once.

A unit is a reference row seen by those whose area holds its seat; it is changed by them
too. A pairing may name a county outside that area: east–west cooperation pairs coastal
units with western counties, so the county need only exist.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhucun.accounts.units.models import Unit, UnitPairing
from zhucun.accounts.units.schemas import PairingIn, UnitIn, UnitPatch
from zhucun.core import audit, present
from zhucun.core.auth import Principal
from zhucun.core.codes import level_of
from zhucun.core.db import utcnow
from zhucun.core.errors import Conflict, Invalid, NotFound
from zhucun.core.i18n import _l
from zhucun.core.locks import serialize
from zhucun.core.present import Action
from zhucun.core.scope import ACROSS_AREAS, access, scope_of
from zhucun.core.tx import relock, use_case
from zhucun.divisions.lookup import any_division
from zhucun.divisions.models import Division
from zhucun.registry.history import diff, state

FIELDS = ("name", "level", "kind", "division_code")


class Tag(StrEnum):
    CREATED = "accounts:unit:created"
    UPDATED = "accounts:unit:updated"
    PAIRED = "accounts:unit:paired"
    UNPAIRED = "accounts:unit:unpaired"


LABELS = present.actions(
    {
        Tag.CREATED: Action(_l("Unit registered"), _l("registered the dispatching unit {object}"), clauses=False),
        Tag.UPDATED: Action(_l("Unit changed"), _l("changed the dispatching unit {object}"), here=""),
        Tag.PAIRED: Action(_l("Unit paired"), _l("paired {object} with {county}"), clauses=False),
        Tag.UNPAIRED: Action(_l("Pairing ended"), _l("ended the pairing of {object} with {county}"), clauses=False),
    }
)


def access_unit(session: Session, unit_id: int) -> Unit:
    return access(session, Unit, unit_id)


def _check_seat(session: Session, code: str | None) -> None:
    if code is not None:
        access(session, Division, code)
        return
    scope = scope_of(session)
    # A unit without a seat is seen only by those whose area is the whole country.
    if scope is not None and not scope.is_everywhere:
        raise Invalid(_l("Give the unit's seat: a division of your area."), field="division_code", code="seat_required")


def _check_name(session: Session, name: str, unit_id: int | None = None) -> None:
    # Names are unique across the country, whatever the actor's area.
    statement = select(Unit.id).where(func.lower(Unit.name) == name.lower()).execution_options(**ACROSS_AREAS)
    if unit_id is not None:
        statement = statement.where(Unit.id != unit_id)
    if session.scalars(statement.limit(1)).first() is not None:
        raise Conflict(
            _l("A unit named {name} is already registered."), field="name", code="unit_name_taken", name=name
        )


def _county(session: Session, code: str, field: str) -> Division:
    if level_of(code) != "county":
        raise Invalid(_l("{division} is not a county."), field=field, code="not_a_county", division=code)
    county = any_division(session, code)
    if county is None:
        raise Invalid(_l("No division has the code {division}."), field=field, code="unknown_division", division=code)
    return county


def _audit(
    session: Session, actor: Principal, tag: Tag, unit: Unit, before: Any, after: Any, reason: str | None
) -> None:
    audit.record(
        session,
        actor=actor.actor,
        action=tag,
        entity="unit",
        entity_id=unit.id,
        division=unit.division_code,
        before=before,
        after=after,
        reason=reason,
    )


@use_case
def create_unit(session: Session, *, actor: Principal, data: UnitIn) -> Unit:
    """Register a unit with the counties it is paired with."""
    serialize(session, "units:name")
    _check_name(session, data.name)
    _check_seat(session, data.division_code)
    codes = list(dict.fromkeys(data.paired_counties))
    counties = [_county(session, code, f"paired_counties.{i}") for i, code in enumerate(codes)]
    unit = Unit(name=data.name, level=data.level, kind=data.kind, division_code=data.division_code)
    session.add(unit)
    session.flush()
    session.add_all([UnitPairing(unit_id=unit.id, division_code=c.code) for c in counties])
    _audit(session, actor, Tag.CREATED, unit, None, {**state(unit, FIELDS), "paired_counties": codes}, data.reason)
    return unit


@use_case
def update_unit(session: Session, *, actor: Principal, unit: Unit, data: UnitPatch) -> Unit:
    """Change a unit's name, level, kind or seat."""
    unit = relock(session, unit)
    changes = data.model_dump(exclude_unset=True, exclude={"reason"})
    changes = {k: v for k, v in changes.items() if v is not None or k == "division_code"}
    if changes.get("name") and changes["name"] != unit.name:
        serialize(session, "units:name")
        _check_name(session, changes["name"], unit.id)
    if "division_code" in changes and changes["division_code"] != unit.division_code:
        _check_seat(session, changes["division_code"])
    before = state(unit, FIELDS)
    for name, value in changes.items():
        setattr(unit, name, value)
    old, new = diff(before, state(unit, FIELDS))
    if not new:
        return unit
    unit.updated_at = utcnow()
    _audit(session, actor, Tag.UPDATED, unit, old, new, data.reason)
    return unit


@use_case
def pair_county(session: Session, *, actor: Principal, unit: Unit, data: PairingIn) -> UnitPairing:
    """Pair a unit with a county it helps (对口帮扶)."""
    unit = relock(session, unit)
    county = _county(session, data.division_code, "division_code")
    if session.get(UnitPairing, (unit.id, county.code), populate_existing=True) is not None:
        raise Conflict(
            _l("The unit is already paired with {county}."),
            field="division_code",
            code="already_paired",
            county=county.name,
        )
    pairing = UnitPairing(unit_id=unit.id, division_code=county.code)
    session.add(pairing)
    _audit(session, actor, Tag.PAIRED, unit, None, {"county": county.code}, data.reason)
    return pairing


@use_case
def unpair_county(
    session: Session, *, actor: Principal, unit: Unit, county_code: str, reason: str | None = None
) -> None:
    """End a unit's pairing with a county."""
    unit = relock(session, unit)
    pairing = session.get(UnitPairing, (unit.id, county_code), populate_existing=True)
    if pairing is None:
        raise NotFound(_l("The unit is not paired with this county."), code="not_paired")
    session.delete(pairing)
    _audit(session, actor, Tag.UNPAIRED, unit, {"county": county_code}, None, reason)
