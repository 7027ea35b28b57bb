"""How the register's records read in history and audit: the fields of households,
members, incomes, village officials and kin declarations, and the names of households and
members looked up for a page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select

from ..core.i18n import _, _l
from ..core.present import Field, Names, catalogue, kind, resolver, yes_no
from ..core.records import EXPORT_FIELDS, REVEALED
from ..core.scope import ACROSS_AREAS
from ..divisions.models import Division
from . import catalogues as cat
from .models import Household, Member
from .officials.models import VillageOfficial
from .permissions import HOUSEHOLD_READ

OUTCOMES = {
    "moved_out": _l("moved out"),
    "other_removal": _l("other removal"),
    "not_same_person": _l("not the same person"),
}

kind(
    "household",
    _l("Household"),
    {
        "household_no": Field(_l("Household number")),
        "village_code": Field(_l("Village"), refers="division"),
        "group_number": Field(_l("Village group")),
        "head_name": Field(_l("Head of household")),
        "member_count": Field(_l("Members")),
        "address": Field(_l("Address")),
        "attribute": Field(_l("Household type"), catalogue(cat.HOUSEHOLD_ATTRIBUTE)),
        "status": Field(_l("Status"), catalogue(cat.HOUSEHOLD_STATUS)),
        "main_cause": Field(_l("Main cause of poverty"), catalogue(cat.POVERTY_CAUSE)),
        "other_causes": Field(_l("Other causes of poverty"), catalogue(cat.POVERTY_CAUSE)),
        "registered_year": Field(_l("Year registered")),
        "exited_year": Field(_l("Year exited")),
        "housing_safe": Field(_l("Housing safe"), yes_no),
        "water_safe": Field(_l("Drinking water safe"), yes_no),
        "cultivated_land_mu": Field(_l("Cultivated land (mu)")),
        "forest_land_mu": Field(_l("Forest land (mu)")),
        "productive_assets": Field(_l("Productive assets")),
        # The masked copies change with the ciphertexts, which say it once, without values.
        "phone_masked": Field(_l("Phone"), hidden=True),
        "bank_masked": Field(_l("Bank account"), hidden=True),
        "phone_cipher": Field(_l("Phone"), secret=True),
        "bank_cipher": Field(_l("Bank account"), secret=True),
        "income": Field(_l("Income"), nested="income"),
        "field": REVEALED,
    },
    title="household_no",
    page="/registry/households/{county}/{id}",
    permission=HOUSEHOLD_READ,
)


def _yuan(value: Any, names: Names) -> str:
    """An amount as people write it: "12000.00" → "12,000", "12000.50" → "12,000.50"."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


kind(
    "income",
    _l("Income"),
    {
        "year": Field(_l("Year")),
        "wage": Field(_l("Wages"), _yuan),
        "production": Field(_l("Production"), _yuan),
        "property": Field(_l("Property"), _yuan),
        "transfer": Field(_l("Transfers"), _yuan),
        "production_costs": Field(_l("Production costs"), _yuan),
        "unavoidable_spending": Field(_l("Unavoidable spending"), _yuan),
    },
    title="year",
    qualified=_l("{field} of {title}"),
)


def _member_page(member_id: str, names: Names, county: str | None) -> str | None:
    """A member's page is their household's, in the same county."""
    household = names.get(("member_household", member_id))
    if not household:
        return None
    return f"/registry/households/{county}/{household}" if county else f"/registry/households/{household}"


kind(
    "member",
    _l("Member"),
    {
        "household_id": Field(_l("Household"), refers="household"),
        "name": Field(_l("Full name")),
        # Masked (110105********002X), as every page shows it.
        "id_masked": Field(_l("ID number")),
        "gender": Field(_l("Gender"), catalogue(cat.GENDER)),
        "birth_date": Field(_l("Birth date")),
        "ethnicity": Field(_l("Ethnicity"), catalogue(cat.ETHNICITY)),
        "relation": Field(_l("Relation to the head"), catalogue(cat.RELATION)),
        "education": Field(_l("Education"), catalogue(cat.EDUCATION)),
        "student": Field(_l("Student"), catalogue(cat.STUDENT)),
        "health": Field(_l("Health"), catalogue(cat.HEALTH)),
        "disability": Field(_l("Disability"), catalogue(cat.DISABILITY)),
        "disability_grade": Field(_l("Disability grade"), catalogue(cat.DISABILITY_GRADE)),
        "labour": Field(_l("Labour skill"), catalogue(cat.LABOUR)),
        "migrant_months": Field(_l("Months of migrant work")),
        "medical_insurance": Field(_l("Medical insurance"), yes_no),
        "pension_insurance": Field(_l("Pension insurance"), yes_no),
        "phone_masked": Field(_l("Phone"), hidden=True),
        "phone_cipher": Field(_l("Phone"), secret=True),
        "status": Field(_l("Status"), catalogue(cat.MEMBER_STATUS)),
        # Kin declarations and duplicate reviews are recorded on a member too.
        "member_a": Field(_l("Person"), refers="member"),
        "member_b": Field(_l("Relative"), refers="member"),
        "kind": Field(_l("Kinship"), catalogue(cat.KIN)),
        "note": Field(_l("Note")),
        "outcome": Field(_l("Outcome"), lambda value, names: str(OUTCOMES.get(value, value))),
        "kept": Field(_l("Other registrations"), hidden=True),
        "others": Field(_l("Other registrations"), hidden=True),
        "field": REVEALED,
    },
    title="name",
    detail="relation",
    link=_member_page,
    also=("member_household",),
    permission=HOUSEHOLD_READ,
)

kind(
    "official",
    _l("Village official"),
    {
        "member_id": Field(_l("Resident"), refers="member"),
        "post": Field(_l("Post"), catalogue(cat.OFFICIAL_POST)),
        "term_start": Field(_l("Term started")),
        "term_end": Field(_l("Term ended")),
    },
)

kind("snapshot", _l("Yearly snapshot"), {"households": Field(_l("Households")), "members": Field(_l("Members"))})
kind("households", _l("Household register"), EXPORT_FIELDS)
kind("members", _l("Residents"), EXPORT_FIELDS)
kind("duplicates", _l("Duplicate registrations"), EXPORT_FIELDS)
kind("snapshot_changes", _l("Changes since a yearly snapshot"), EXPORT_FIELDS)


@resolver("household")
def household_names(session: Any, ids: set[str]) -> dict[str, str]:
    rows = session.execute(select(Household.id, Household.household_no).where(Household.id.in_(_ints(ids))))
    return {str(key): number for key, number in rows}


@resolver("member")
def member_names(session: Any, ids: set[str]) -> dict[str, str]:
    rows = session.execute(select(Member.id, Member.name).where(Member.id.in_(_ints(ids))))
    return {str(key): name for key, name in rows}


@resolver("member_household")
def member_households(session: Any, ids: set[str]) -> dict[str, str]:
    rows = session.execute(select(Member.id, Member.household_id).where(Member.id.in_(_ints(ids))))
    return {str(key): str(household) for key, household in rows}


@resolver("official")
def official_names(session: Any, ids: set[str]) -> dict[str, str]:
    rows = session.execute(
        select(VillageOfficial.id, Member.name)
        .join(Member, (Member.county_code == VillageOfficial.county_code) & (Member.id == VillageOfficial.member_id))
        .where(VillageOfficial.id.in_(_ints(ids)))
    )
    return {str(key): name for key, name in rows}


@resolver("snapshot")
def snapshot_names(session: Any, ids: set[str]) -> dict[str, str]:
    """A snapshot ("522799-2025") by its county's name and year."""
    counties = {key: key.split("-")[0].ljust(12, "0") for key in ids if "-" in key}
    # County names are public reference data.
    rows = session.execute(
        select(Division.code, Division.name)
        .where(Division.code.in_(sorted(set(counties.values()))))
        .execution_options(**ACROSS_AREAS)
    )
    names = dict(rows.all())  # type: ignore[arg-type]
    return {
        key: _("{county}, {year}").format(county=names.get(code, code), year=key.split("-")[1])
        for key, code in counties.items()
    }


def _ints(ids: set[str]) -> list[int]:
    return [int(i) for i in ids if i.isdigit()]
