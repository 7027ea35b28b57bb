"""Writing a checked batch in the caller's transaction: ids allocated in blocks, personal
numbers encrypted, hashed and masked in bulk, and the rows sent by ``copy_rows`` (binary
COPY on PostgreSQL). Preparing the rows is kept apart from storing them, so that the next
batch can be prepared while the database stores the last one."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from typing import Any

import numpy as np
from sqlalchemy import Table
from sqlalchemy.orm import Session

from zhucun.core.bulk import copy_encoded, copy_rows, encode_binary
from zhucun.core.ids import allocate
from zhucun.core.imports.rules import AMOUNTS, Members
from zhucun.core.protect import Protector
from zhucun.registry.models import Household, HouseholdIncome, Member
from zhucun.selection.cadres.import_rules import Cadres
from zhucun.selection.cadres.models import Cadre

CHUNK = 20_000
HOUSEHOLD_COLUMNS = (
    "county_code",
    "id",
    "household_no",
    "village_code",
    "group_number",
    "head_name",
    "member_count",
    "address",
    "phone_cipher",
    "phone_masked",
    "bank_cipher",
    "bank_masked",
    "attribute",
    "status",
    "main_cause",
    "other_causes",
    "registered_year",
    "exited_year",
    "housing_safe",
    "water_safe",
    "cultivated_land_mu",
    "forest_land_mu",
    "import_id",
    "created_at",
    "updated_at",
)
# Household columns taken as the file gives them: (table column, field).
HOUSEHOLD_FIELDS = (
    ("address", "address"),
    ("main_cause", "main_cause"),
    ("other_causes", "other_causes"),
    ("registered_year", "registered_year"),
    ("exited_year", "exited_year"),
    ("housing_safe", "housing_safe"),
    ("water_safe", "water_safe"),
    ("cultivated_land_mu", "cultivated_land_mu"),
    ("forest_land_mu", "forest_land_mu"),
)
MEMBER_COLUMNS = (
    "county_code",
    "id",
    "household_id",
    "village_code",
    "relation",
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
    "student",
    "health",
    "disability",
    "disability_grade",
    "labour",
    "migrant_months",
    "medical_insurance",
    "pension_insurance",
    "status",
    "import_id",
    "created_at",
    "updated_at",
)
MEMBER_FIELDS = (
    "education",
    "student",
    "health",
    "disability",
    "disability_grade",
    "labour",
    "migrant_months",
    "medical_insurance",
    "pension_insurance",
)
INCOME_COLUMNS = (
    "county_code",
    "household_id",
    "year",
    "wage",
    "production",
    "property",
    "transfer",
    "production_costs",
)
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
    "created_at",
    "updated_at",
)
CADRE_FIELDS = ("ethnicity", "education", "speciality", "skills")


@dataclass(frozen=True)
class Written:
    households: int = 0
    members: int = 0
    incomes: int = 0
    cadres: int = 0

    def __add__(self, other: Written) -> Written:
        return Written(
            self.households + other.households,
            self.members + other.members,
            self.incomes + other.incomes,
            self.cadres + other.cadres,
        )


def _expand(per_household: Sequence[Any], of_row: np.ndarray) -> list[Any]:
    """A household-level column repeated on each of its members' rows."""
    return np.asarray(per_household, dtype=object)[of_row].tolist()


def _column(values: dict[str, list[Any]], name: str, count: int) -> list[Any]:
    return values.get(name) or [None] * count


Allocate = Callable[[str, int], int]  # (table, count) → the first of ``count`` new ids


@dataclass
class Rows:
    """A batch's rows, ready to store, table by table in the order of the foreign keys; as
    tuples, or encoded for PostgreSQL's binary COPY."""

    parts: list[tuple[Table, tuple[str, ...], list[tuple] | bytes]]
    written: Written

    def encoded(self) -> Rows:
        return Rows(
            [(t, c, d if isinstance(d, bytes) else encode_binary(t, c, d)) for t, c, d in self.parts], self.written
        )


def store(session: Session, rows: Rows) -> Written:
    for table, columns, data in rows.parts:
        if isinstance(data, bytes):
            copy_encoded(session, table, columns, data)
        else:
            copy_rows(session, table, columns, data, binary=True)
    return rows.written


def allocator(session: Session) -> Allocate:
    return lambda table, count: allocate(session, table, count)


def write_members(
    session: Session, members: Members, hashes: list[str], *, import_id: int, protector: Protector, now: datetime
) -> Written:
    return store(
        session,
        prepare_members(
            members, hashes, allocate=allocator(session), import_id=import_id, protector=protector, now=now
        ),
    )


def prepare_members(
    members: Members, hashes: list[str], *, allocate: Allocate, import_id: int, protector: Protector, now: datetime
) -> Rows:
    """Households, their members and incomes; ``hashes`` are the members' ID lookup hashes."""
    grouping, household = members.grouping, members.household
    first_household = allocate("households", len(grouping))
    first_member = allocate("members", len(members))
    household_ids = list(range(first_household, first_household + len(grouping)))
    counties = [code[:6] for code in household["village_code"]]
    stamp = (import_id, now, now)
    incomes = list(_income_rows(household, household_ids, counties))
    return Rows(
        [
            (
                Household.__table__,
                HOUSEHOLD_COLUMNS,
                list(_household_rows(members, household_ids, counties, protector, stamp)),
            ),
            (
                Member.__table__,
                MEMBER_COLUMNS,
                list(_member_rows(members, hashes, first_member, household_ids, counties, protector, stamp)),
            ),
            (HouseholdIncome.__table__, INCOME_COLUMNS, incomes),
        ],
        Written(households=len(grouping), members=len(members), incomes=len(incomes)),
    )


def _household_rows(
    members: Members, ids: list[int], counties: list[str], protector: Protector, stamp: tuple
) -> Iterator[tuple]:
    household, values, count = members.household, members.values, len(ids)
    heads = members.head_row.tolist()
    phones = _column(values, "phone", len(members))
    phone_ciphers, phone_masks = protector.phones([phones[r] for r in heads])
    bank_ciphers, bank_masks = protector.banks(_column(household, "bank_account", count))
    return zip(
        counties,
        ids,
        members.grouping.numbers,
        household["village_code"],
        household.get("group") or repeat(None),
        [values["name"][r] for r in heads],
        members.grouping.sizes.tolist(),
        _column(household, "address", count),
        phone_ciphers,
        phone_masks,
        bank_ciphers,
        bank_masks,
        [a or "1" for a in _column(household, "household_attribute", count)],
        [s or "00" for s in _column(household, "household_status", count)],
        *[_column(household, name, count) for _, name in HOUSEHOLD_FIELDS[1:]],
        *map(repeat, stamp),
    )


def _member_rows(
    members: Members,
    hashes: list[str],
    first_id: int,
    household_ids: list[int],
    counties: list[str],
    protector: Protector,
    stamp: tuple,
) -> Iterator[tuple]:
    of_row, values, count = members.grouping.of_row, members.values, len(members)
    row_counties = _expand(counties, of_row)
    row_households = _expand(household_ids, of_row)
    row_villages = _expand(members.household["village_code"], of_row)
    phones = _column(values, "phone", count)
    plain = [_column(values, name, count) for name in ("relation_to_head", "name")]
    person = [_column(values, name, count) for name in ("gender", "birth_date", "ethnicity")]
    details = [_column(values, name, count) for name in MEMBER_FIELDS]
    ids = members.ids
    for start in range(0, count, CHUNK):
        part = slice(start, min(count, start + CHUNK))
        ciphers, digests, masks = protector.id_numbers(ids[part], hashes[part])  # type: ignore[arg-type]
        phone_ciphers, phone_masks = protector.phones(phones[part])
        yield from zip(
            row_counties[part],
            range(first_id + start, first_id + part.stop),
            row_households[part],
            row_villages[part],
            *[c[part] for c in plain],
            ciphers,
            digests,
            masks,
            *[c[part] for c in person],
            phone_ciphers,
            phone_masks,
            *[c[part] for c in details],
            repeat("1"),
            *map(repeat, stamp),
        )


def _income_rows(household: dict[str, list[Any]], ids: list[int], counties: list[str]) -> Iterator[tuple]:
    years = household.get("income_year")
    if not years:
        return iter(())
    zero = _zero()
    amounts = [[a if a is not None else zero for a in _column(household, name, len(ids))] for name in AMOUNTS]
    rows = zip(counties, ids, years, *amounts)
    return (row for row in rows if row[2] is not None)


def _zero() -> Any:
    from decimal import Decimal

    return Decimal("0.00")


def write_cadres(
    session: Session, cadres: Cadres, hashes: list[str], *, import_id: int, protector: Protector, now: datetime
) -> Written:
    return store(
        session,
        prepare_cadres(cadres, hashes, allocate=allocator(session), import_id=import_id, protector=protector, now=now),
    )


def prepare_cadres(
    cadres: Cadres, hashes: list[str], *, allocate: Allocate, import_id: int, protector: Protector, now: datetime
) -> Rows:
    values, count = cadres.values, len(cadres)
    first = allocate("cadres", count)
    ciphers, digests, masks = protector.id_numbers(cadres.ids, hashes)  # type: ignore[arg-type]
    phone_ciphers, phone_masks = protector.phones(_column(values, "phone", count))
    places = values["division_code"]
    rows = zip(
        [code[:6] for code in places],
        range(first, first + count),
        values["name"],
        ciphers,
        digests,
        masks,
        values["gender"],
        values["birth_date"],
        *[_column(values, name, count) for name in CADRE_FIELDS[:1]],
        phone_ciphers,
        phone_masks,
        *[_column(values, name, count) for name in CADRE_FIELDS[1:]],
        [bool(m) for m in _column(values, "party_member", count)],
        *[_column(values, name, count) for name in ("party_joined", "work_started", "rank", "position")],
        values["unit_id"],
        _column(values, "hometown_code", count),
        _column(values, "health", count),
        places,
        *map(repeat, (import_id, now, now)),
    )
    return Rows([(Cadre.__table__, CADRE_COLUMNS, list(rows))], Written(cadres=count))
