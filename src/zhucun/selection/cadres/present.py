"""How cadres and their postings read in history and audit, and cadres' names looked up
for a page (through the reader's scope: a unit's account names its own cadres only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from zhucun.core.i18n import _l
from zhucun.core.present import Field, catalogue, kind, resolver, yes_no
from zhucun.core.records import EXPORT_FIELDS, REVEALED
from zhucun.registry import catalogues as cat
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.cadres.profile import FACTOR_LABELS, level_label
from zhucun.selection.permissions import CADRE_READ


def _level(value: Any, names: Any) -> str:
    return level_label(value) or str(value)


kind(
    "cadre",
    _l("Cadre"),
    {
        "name": Field(_l("Full name")),
        "id_masked": Field(_l("ID number")),
        "gender": Field(_l("Gender"), catalogue(cat.GENDER)),
        "birth_date": Field(_l("Birth date")),
        "ethnicity": Field(_l("Ethnicity"), catalogue(cat.ETHNICITY)),
        "phone_masked": Field(_l("Phone"), hidden=True),
        "phone_cipher": Field(_l("Phone"), secret=True),
        "education": Field(_l("Education"), catalogue(cat.CADRE_EDUCATION)),
        "speciality": Field(_l("Speciality")),
        "skills": Field(_l("Skills")),
        "party_member": Field(_l("Party member"), yes_no),
        "party_joined": Field(_l("Joined the party")),
        "work_started": Field(_l("Started work")),
        "rank": Field(_l("Rank"), catalogue(cat.RANK)),
        "position": Field(_l("Position")),
        "unit_id": Field(_l("Unit"), refers="unit"),
        "hometown_code": Field(_l("Hometown"), refers="division"),
        "health": Field(_l("Health"), catalogue(cat.HEALTH)),
        "division_code": Field(_l("Serves in"), refers="division"),
        **{factor: Field(label, _level) for factor, label in FACTOR_LABELS.items()},
        "assessed_on": Field(_l("Assessed on")),
        "assessed_by": Field(_l("Assessed by"), refers="user"),
        "posting": Field(_l("Posting"), nested="posting"),
        "field": REVEALED,
    },
    title="name",
    page="/registry/cadres/{county}/{id}",
    permission=CADRE_READ,
)
kind(
    "posting",
    _l("Posting"),
    {
        "id": Field(_l("Posting"), hidden=True),
        "village_code": Field(_l("Village"), refers="division"),
        "role": Field(_l("Role in the village"), catalogue(cat.POSTING_ROLE)),
        "start_date": Field(_l("Started on")),
        "end_date": Field(_l("Ended on")),
        "end_reason": Field(_l("Reason"), hidden=True),
    },
)
kind("cadres", _l("Cadres"), EXPORT_FIELDS)


@resolver("cadre")
def cadre_names(session: Any, ids: set[str]) -> dict[str, str]:
    rows = session.execute(select(Cadre.id, Cadre.name).where(Cadre.id.in_([int(i) for i in ids if i.isdigit()])))
    return {str(key): name for key, name in rows}
