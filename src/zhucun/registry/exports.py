"""Columns of the registry's exports (masked unless revealed with a reason)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.protect import Protector

from ..core.export import Column
from ..core.i18n import _l
from ..divisions.models import Division
from . import catalogues as cat
from .models import Household, Member


def _label(catalogue: cat.Catalogue, attribute: str) -> Any:
    return lambda row: catalogue.label(getattr(row, attribute))


HOUSEHOLD_COLUMNS = [
    Column(_l("Household number"), lambda h: h.household_no),
    Column(_l("Village"), lambda h: h.village_name),
    Column(_l("Village code"), lambda h: h.village_code),
    Column(_l("Village group"), lambda h: h.group_number),
    Column(_l("Head of household"), lambda h: h.head_name),
    Column(_l("Members"), lambda h: h.member_count),
    Column(_l("Household type"), _label(cat.HOUSEHOLD_ATTRIBUTE, "attribute")),
    Column(_l("Status"), _label(cat.HOUSEHOLD_STATUS, "status")),
    Column(_l("Main cause of poverty"), _label(cat.POVERTY_CAUSE, "main_cause")),
    Column(_l("Year registered"), lambda h: h.registered_year),
    Column(_l("Year exited"), lambda h: h.exited_year),
    Column(_l("Housing safe"), lambda h: h.housing_safe),
    Column(_l("Drinking water safe"), lambda h: h.water_safe),
    Column(_l("Phone"), lambda h: h.phone_masked),
    Column(_l("Bank account"), lambda h: h.bank_masked),
    Column(_l("Address"), lambda h: h.address),
]


def member_columns(revealed: bool) -> list[Column]:
    id_value = (lambda m: m.revealed_id) if revealed else (lambda m: m.id_masked)
    return [
        Column(_l("Household number"), lambda m: m.household_no),
        Column(_l("Village"), lambda m: m.village_name),
        Column(_l("Village code"), lambda m: m.village_code),
        Column(_l("Full name"), lambda m: m.name),
        Column(_l("ID number"), id_value),
        Column(_l("Relation to the head"), _label(cat.RELATION, "relation")),
        Column(_l("Gender"), _label(cat.GENDER, "gender")),
        Column(_l("Birth date"), lambda m: m.birth_date),
        Column(_l("Ethnicity"), _label(cat.ETHNICITY, "ethnicity")),
        Column(_l("Education"), _label(cat.EDUCATION, "education")),
        Column(_l("Student"), _label(cat.STUDENT, "student")),
        Column(_l("Health"), _label(cat.HEALTH, "health")),
        Column(_l("Disability"), _label(cat.DISABILITY, "disability")),
        Column(_l("Labour skill"), _label(cat.LABOUR, "labour")),
        Column(_l("Months of migrant work"), lambda m: m.migrant_months),
        Column(_l("Medical insurance"), lambda m: m.medical_insurance),
        Column(_l("Pension insurance"), lambda m: m.pension_insurance),
        Column(_l("Phone"), lambda m: m.phone_masked),
        Column(_l("On the roll"), _label(cat.MEMBER_STATUS, "status")),
    ]


def named(rows: Iterable[Any], session: Session, *, households: bool = False, batch: int = 2000) -> Iterator[Any]:
    """Rows with ``village_name`` (and, for members, ``household_no``) set, looked up once
    per batch: a clerk reads an export by names, with the codes beside them."""
    chunk: list[Any] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= batch:
            yield from _name(chunk, session, households)
            chunk = []
    yield from _name(chunk, session, households)


def _name(chunk: list[Any], session: Session, households: bool) -> Iterator[Any]:
    if not chunk:
        return
    villages = dict(
        session.execute(
            select(Division.code, Division.name).where(Division.code.in_({r.village_code for r in chunk}))
        ).all()
    )
    numbers: dict[int, str] = {}
    if households:
        ids = {r.household_id for r in chunk}
        numbers = dict(session.execute(select(Household.id, Household.household_no).where(Household.id.in_(ids))).all())
    for row in chunk:
        row.village_name = villages.get(row.village_code, "")
        if households:
            row.household_no = numbers.get(row.household_id, "")
        yield row


def revealing(members: Iterable[Member], protector: Protector, batch: int = 2000) -> Iterator[Member]:
    """Members with ``revealed_id`` set, decrypted a batch at a time."""
    chunk: list[Member] = []
    for member in members:
        chunk.append(member)
        if len(chunk) >= batch:
            yield from _reveal(chunk, protector)
            chunk = []
    yield from _reveal(chunk, protector)


def _reveal(chunk: list[Member], protector: Protector) -> Iterator[Member]:
    for member in chunk:
        member.revealed_id = protector.reveal(member.id_cipher)  # type: ignore[attr-defined]
        yield member


__all__ = ["HOUSEHOLD_COLUMNS", "Household", "member_columns", "named", "revealing"]
