"""Columns of the cadre export (ID numbers masked unless revealed with a reason)."""

from __future__ import annotations

from typing import Any

from zhucun.core.export import Column
from zhucun.core.i18n import _l
from zhucun.registry import catalogues as cat
from zhucun.selection.cadres.profile import FACTOR_LABELS, level_label


def _label(catalogue: cat.Catalogue, attribute: str) -> Any:
    return lambda row: catalogue.label(getattr(row, attribute))


def cadre_columns(revealed: bool, unit_names: dict[int, str]) -> list[Column]:
    id_value = (lambda c: c.revealed_id) if revealed else (lambda c: c.id_masked)
    return [
        Column(_l("Full name"), lambda c: c.name),
        Column(_l("ID number"), id_value),
        Column(_l("Gender"), _label(cat.GENDER, "gender")),
        Column(_l("Birth date"), lambda c: c.birth_date),
        Column(_l("Ethnicity"), _label(cat.ETHNICITY, "ethnicity")),
        Column(_l("Education"), _label(cat.CADRE_EDUCATION, "education")),
        Column(_l("Speciality"), lambda c: c.speciality),
        Column(_l("Party member"), lambda c: c.party_member),
        Column(_l("Joined the party"), lambda c: c.party_joined),
        Column(_l("Started work"), lambda c: c.work_started),
        Column(_l("Rank"), _label(cat.RANK, "rank")),
        Column(_l("Position"), lambda c: c.position),
        Column(_l("Unit"), lambda c: unit_names.get(c.unit_id, c.unit_id)),
        Column(_l("Serves in"), lambda c: c.division_code),
        Column(_l("Health"), _label(cat.HEALTH, "health")),
        Column(_l("Phone"), lambda c: c.phone_masked),
        # The unit's assessment, as words (the list shows it beside each cadre).
        *[Column(label, _level(factor)) for factor, label in FACTOR_LABELS.items()],
        Column(_l("Assessed on"), lambda c: c.assessed_on),
    ]


def _level(factor: str) -> Any:
    return lambda row: level_label(getattr(row, factor))
