"""Cadre use cases: register a cadre, change their record with a reason, reveal a number.
Each takes the acting principal, checks the rules, keeps the history, and commits once.

A dispatching unit's account manages its own unit's cadres only: the scope filters its
reads, and every write checks that the cadre, as it will be stored, still lies in it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.accounts.units.models import Unit
from zhucun.core import present
from zhucun.core.auth import Principal
from zhucun.core.db import utcnow
from zhucun.core.errors import Conflict, Invalid, NotFound
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.present import Action
from zhucun.core.protect import Protector
from zhucun.core.scope import ACROSS_AREAS, access, access_by, scope_of
from zhucun.core.tx import relock, use_case
from zhucun.divisions.lookup import any_division
from zhucun.divisions.queries import access_county
from zhucun.registry import service as registry
from zhucun.registry.history import diff, record, state
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.cadres.schemas import CadreIn, CadrePatch
from zhucun.selection.rules import date_faults

FIELDS = (
    "name",
    "id_masked",
    "gender",
    "birth_date",
    "ethnicity",
    "phone_masked",
    "phone_cipher",
    "education",
    "speciality",
    "skills",
    "party_member",
    "party_joined",
    "work_started",
    "rank",
    "position",
    "unit_id",
    "hometown_code",
    "health",
    "division_code",
)


class Tag(StrEnum):
    CREATED = "selection:cadre:created"
    UPDATED = "selection:cadre:updated"
    POSTED = "selection:cadre:posted"
    POSTING_ENDED = "selection:cadre:posting_ended"
    IMPORTED = "selection:cadres:imported"
    ASSESSED = "selection:cadre:assessed"


LABELS = present.actions(
    {
        Tag.IMPORTED: Action(_l("Cadres imported"), _l("imported {file}: {cadres} cadres"), clauses=False),
        Tag.CREATED: Action(
            _l("Cadre registered"), _l("registered the cadre {object}"), here=_l("registered the cadre"), clauses=False
        ),
        Tag.UPDATED: Action(_l("Cadre changed"), _l("changed the record of {object}"), here=""),
        Tag.POSTED: Action(
            _l("Cadre posted"),
            _l("posted {object} to {posting_village_code} as {posting_role} from {posting_start_date}"),
            here=_l("posted to {posting_village_code} as {posting_role} from {posting_start_date}"),
            clauses=False,
        ),
        Tag.ASSESSED: Action(
            _l("Cadre assessed"), _l("assessed the competency of {object}"), here=_l("assessed the competency")
        ),
        Tag.POSTING_ENDED: Action(
            _l("Posting ended"),
            _l("ended the posting of {object} in {posting_village_code} on {posting_end_date}"),
            here=_l("ended the posting in {posting_village_code} on {posting_end_date}"),
            clauses=False,
        ),
    }
)


def access_cadre(session: Session, county_code: str, cadre_id: int) -> Cadre:
    return access_by(session, Cadre, county_code=county_code, id=cadre_id)


def history(
    session: Session, actor: Principal, tag: Tag, cadre: Cadre, before: Any, after: Any, reason: str | None
) -> None:
    """One change to the cadre's history and to the audit trail."""
    record(
        session,
        actor=actor,
        tag=tag,
        entity="cadre",
        entity_id=cadre.id,
        county_code=cadre.county_code,
        village_code=cadre.division_code,
        household_id=None,
        before=before,
        after=after,
        reason=reason,
    )


def _check_unit(session: Session, unit_id: int | None) -> None:
    if unit_id is None:
        return
    # A unit outside the area answers the same 404 as a missing one: that it exists is not told.
    try:
        access(session, Unit, unit_id)
    except NotFound:
        raise NotFound(field="unit_id") from None


def _check_hometown(session: Session, code: str | None) -> None:
    if code is None:
        return
    # A hometown may lie anywhere in the country: it need only be a known division.
    if any_division(session, code) is None:
        raise Invalid(
            _l("No division has the code {division}."), field="hometown_code", code="unknown_division", division=code
        )


def _check_record(session: Session, cadre: Cadre) -> None:
    """The rules a cadre's stored record must meet, whoever writes it."""
    faults = date_faults(
        birth_date=cadre.birth_date,
        work_started=cadre.work_started,
        party_member=bool(cadre.party_member),
        party_joined=cadre.party_joined,
        today=date.today(),
    )
    if faults:
        field, message = faults[0]
        raise Invalid(message, field=field, code="implausible_date")
    scope = scope_of(session)
    if scope is not None and not scope.covers(cadre.division_code, cadre.unit_id, has_unit=True):
        raise Invalid(_l("You can only manage the cadres of your own unit."), field="unit_id", code="other_unit")


def _check_person(session: Session, county: str, id_hash: str) -> None:
    # The whole county is searched, whatever the actor's area or unit: one person, one record.
    clash = session.execute(
        select(Cadre.name, Cadre.division_code, Cadre.unit_id)
        .where(Cadre.county_code == county, Cadre.id_hash == id_hash)
        .execution_options(**ACROSS_AREAS)
    ).first()
    if clash is None:
        return
    scope = scope_of(session)
    if scope is not None and not scope.covers(clash.division_code, clash.unit_id, has_unit=True):
        raise Conflict(
            _l("This person is already registered as a cadre in the county."),
            field="id_number",
            code="already_registered",
        )
    raise Conflict(
        _l("{name} is already registered as a cadre in the county."),
        field="id_number",
        code="already_registered",
        name=clash.name,
    )


@use_case
def create_cadre(session: Session, *, actor: Principal, protector: Protector, data: CadreIn) -> Cadre:
    """Register a cadre in the county where they serve."""
    # A cadre not posted serves in the county; a posting alone moves them to a village.
    county = access_county(session, data.division_code, field="division_code").code[:6]
    _check_unit(session, data.unit_id)
    _check_hometown(session, data.hometown_code)
    ident, phone = protector.id_number(data.id_number), protector.phone(data.phone)
    _check_person(session, county, ident.hash)  # type: ignore[arg-type]
    values = data.model_dump(exclude={"id_number", "phone", "reason"})
    cadre = Cadre(
        county_code=county,
        id=allocate(session, "cadres"),
        id_cipher=ident.cipher,
        id_hash=ident.hash,
        id_masked=ident.masked,
        phone_cipher=phone.cipher,
        phone_masked=phone.masked,
        **values,
    )
    _check_record(session, cadre)
    session.add(cadre)
    session.flush()
    history(session, actor, Tag.CREATED, cadre, None, state(cadre, FIELDS), data.reason)
    return cadre


@use_case
def update_cadre(session: Session, *, actor: Principal, protector: Protector, cadre: Cadre, data: CadrePatch) -> Cadre:
    """Change a cadre's record; the reason is kept with the change."""
    cadre = relock(session, cadre)
    changes = data.model_dump(exclude_unset=True, exclude={"reason", "phone"})
    if changes.get("name") is None:
        changes.pop("name", None)
    if changes.get("party_member") is None:
        changes.pop("party_member", None)
    if "unit_id" in changes and changes["unit_id"] != cadre.unit_id:
        _check_unit(session, changes["unit_id"])
    if "hometown_code" in changes:
        _check_hometown(session, changes["hometown_code"])
    before = state(cadre, FIELDS)
    for name, value in changes.items():
        setattr(cadre, name, value)
    if "phone" in data.model_fields_set:
        phone = protector.phone(data.phone)
        cadre.phone_cipher, cadre.phone_masked = phone.cipher, phone.masked
    _check_record(session, cadre)
    old, new = diff(before, state(cadre, FIELDS))
    if not new:
        return cadre
    cadre.updated_at = utcnow()
    history(session, actor, Tag.UPDATED, cadre, old, new, data.reason)
    return cadre


def reveal(
    session: Session, *, actor: Principal, protector: Protector, cadre: Cadre, field: str, reason: str
) -> str | None:
    """Show a cadre's ID number or phone in clear, with a reason, in the audit trail."""
    return registry.reveal(session, actor=actor, protector=protector, obj=cadre, field=field, reason=reason)
