"""A checked member file as table rows: households (head, size, phone and bank account
encrypted and masked), members (ID numbers encrypted, hashed and masked in bulk) and one
year's incomes, ready for the engine to COPY."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from itertools import repeat
from typing import Any

from zhucun.core.imports.writer import CHUNK, Allocate, Rows, Written, column, expand
from zhucun.core.protect import Protector
from zhucun.registry.import_kind.rules import AMOUNTS, Members
from zhucun.registry.models import BOOKKEEPING_COLUMNS, Household, HouseholdIncome, Member, household_columns

ZERO = Decimal("0.00")
# The columns an import writes, in the table's order (no file column gives the assets).
HOUSEHOLD_COLUMNS = household_columns(without=("productive_assets",))
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
    "unavoidable_spending",
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
        Written({"households": len(grouping), "members": len(members), "incomes": len(incomes)}),
    )


def _household_rows(
    members: Members, ids: list[int], counties: list[str], protector: Protector, stamp: tuple
) -> Iterator[tuple]:
    household, values, count = members.household, members.values, len(ids)
    heads = members.head_row.tolist()
    phones = column(values, "phone", len(members))
    phone_ciphers, phone_masks = protector.phones([phones[r] for r in heads])
    bank_ciphers, bank_masks = protector.banks(column(household, "bank_account", count))
    worked_out: dict[str, Any] = {
        "county_code": counties,
        "id": ids,
        "household_no": members.grouping.numbers,
        "village_code": household["village_code"],
        "group_number": household.get("group") or repeat(None),
        "head_name": [values["name"][r] for r in heads],
        "member_count": members.grouping.sizes.tolist(),
        "phone_cipher": phone_ciphers,
        "phone_masked": phone_masks,
        "bank_cipher": bank_ciphers,
        "bank_masked": bank_masks,
        "attribute": [a or "1" for a in column(household, "household_attribute", count)],
        "status": [s or "00" for s in column(household, "household_status", count)],
        **dict(zip(BOOKKEEPING_COLUMNS, map(repeat, stamp), strict=True)),
    }
    # Every other column is taken as the file gives it, under the same name.
    given = {name: column(household, name, count) for name in HOUSEHOLD_COLUMNS if name not in worked_out}
    found = {**worked_out, **given}
    return zip(*(found[name] for name in HOUSEHOLD_COLUMNS))


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
    row_counties = expand(counties, of_row)
    row_households = expand(household_ids, of_row)
    row_villages = expand(members.household["village_code"], of_row)
    phones = column(values, "phone", count)
    plain = [column(values, name, count) for name in ("relation_to_head", "name")]
    person = [column(values, name, count) for name in ("gender", "birth_date", "ethnicity")]
    details = [column(values, name, count) for name in MEMBER_FIELDS]
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
    zero = ZERO
    amounts = [[a if a is not None else zero for a in column(household, name, len(ids))] for name in AMOUNTS]
    rows = zip(counties, ids, years, *amounts)
    return (row for row in rows if row[2] is not None)
