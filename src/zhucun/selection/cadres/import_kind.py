"""The cadre import: a file of cadres of dispatching units (one row per cadre), checked by
the rules in ``import_rules`` against the units and the divisions it names, each cadre
once per county, written to the cadres' table by the shared import engine."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from itertools import repeat
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.accounts.units.models import Unit
from zhucun.core.auth import Principal
from zhucun.core.i18n import _l
from zhucun.core.imports.checks import division_codes
from zhucun.core.imports.files import Source
from zhucun.core.imports.kinds import Kind, counted
from zhucun.core.imports.lookup import Lookup
from zhucun.core.imports.readers import Table
from zhucun.core.imports.service import Outcome, import_file
from zhucun.core.imports.writer import Allocate, Rows, column, county_keys, one_table
from zhucun.core.protect import Protector
from zhucun.selection.cadres.import_fields import CADRE_FIELDS
from zhucun.selection.cadres.import_rules import CadreFacts, Cadres, Units, check_cadres
from zhucun.selection.cadres.import_sample import cadres as sample_rows
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.cadres.profile import FACTORS
from zhucun.selection.cadres.service import Tag
from zhucun.selection.permissions import CADRE_IMPORT

CADRE_COLUMNS = (
    "county_code",
    "id",
    "name",
    "id_cipher",
    "id_hash",
    "id_masked",
    "gender",
    "birth_date",
    "ethnicity",
    "phone_cipher",
    "phone_masked",
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
    "import_id",
    *FACTORS,
    "assessed_on",
    "created_at",
    "updated_at",
)
COPIED = ("ethnicity", "education", "speciality", "skills")


def facts(lookup: Lookup) -> Callable[[Table], CadreFacts]:
    """The divisions a batch names, and every unit (read once: units are few)."""
    units: list[Units] = []

    def of(table: Table) -> CadreFacts:
        lookup.look_up(division_codes(table.values("division_code")) | division_codes(table.values("hometown_code")))
        if not units:
            units.append(_units(lookup))
        return CadreFacts(lookup.divisions, units[0])

    return of


def _units(lookup: Lookup) -> Units:
    units = Units()
    for unit_id, name in lookup.read(select(Unit.__table__.c.id, Unit.__table__.c.name)):
        units.ids.add(unit_id)
        units.by_name.setdefault(name, []).append(unit_id)
    return units


def prepare_cadres(
    cadres: Cadres, hashes: list[str], *, allocate: Allocate, import_id: int, protector: Protector, now: datetime
) -> Rows:
    values, count = cadres.values, len(cadres)
    first = allocate("cadres", count)
    ciphers, digests, masks = protector.id_numbers(cadres.ids, hashes)  # type: ignore[arg-type]
    phone_ciphers, phone_masks = protector.phones(column(values, "phone", count))
    places = values["division_code"]
    rows = zip(
        county_keys(places),
        range(first, first + count),
        values["name"],
        ciphers,
        digests,
        masks,
        values["gender"],
        values["birth_date"],
        *[column(values, name, count) for name in COPIED[:1]],
        phone_ciphers,
        phone_masks,
        *[column(values, name, count) for name in COPIED[1:]],
        [bool(m) for m in column(values, "party_member", count)],
        *[column(values, name, count) for name in ("party_joined", "work_started", "rank", "position")],
        values["unit_id"],
        column(values, "hometown_code", count),
        column(values, "health", count),
        places,
        repeat(import_id),
        *_assessment(values, count, now.date()),
        *map(repeat, (now, now)),
    )
    return one_table(Cadre, CADRE_COLUMNS, rows, {"cadres": count})


def _assessment(values: dict[str, list[Any]], count: int, today: date) -> list[list[Any]]:
    """The five levels as numbers, and the day of the assessment where a level is given (the
    import's day when blank; the import batch names the account)."""
    levels = [[None if code is None else int(code) for code in column(values, f, count)] for f in FACTORS]
    assessed = [any(row) for row in zip(*levels)] if count else []
    days = [day or (today if given else None) for day, given in zip(column(values, "assessed_on", count), assessed)]
    return [*levels, [day if given else None for day, given in zip(days, assessed)]]


CADRES = Kind(
    name="cadres",
    label=_l("Cadres"),
    fields=CADRE_FIELDS,
    place="division_code",
    facts=facts,
    check=check_cadres,
    prepare=prepare_cadres,
    counts=counted("cadres"),
    permission=CADRE_IMPORT,
    tag=Tag.IMPORTED,
    done=_l("{cadres} cadres imported."),
    would=_l("{cadres} cadres would be imported."),
    history={"members": "cadres"},
    tables={"cadres": "cadres"},
    id_field="id_number",
    registered=lambda: Cadre.__table__,
    action=_l("Import cadres"),
    help=_l("One row per cadre, with the dispatching unit's number or exact name and the place of service."),
    sample=sample_rows,
)


def import_cadres(session: Session, *, actor: Principal, source: Source, **options: Any) -> Outcome:
    """Import cadres of dispatching units, all or nothing (the engine's use case, of this kind)."""
    return import_file(session, CADRES, actor=actor, source=source, **options)
