"""How divisions read in history and audit: their fields, and their names looked up for a
page. Division names are public reference data (the statistics bureau publishes them), so
a change elsewhere names the village it concerns even outside the reader's area."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..core.i18n import _l
from ..core.permissions import DIVISION_READ
from ..core.present import Field, kind, resolver, yes_no
from ..core.scope import ACROSS_AREAS
from .models import Division

FLAG_LABELS = {
    "is_poor_village": _l("Poor village"),
    "is_exited": _l("Exited poverty"),
    "is_key_village": _l("Key assistance village"),
    "is_weak_branch": _l("Weak party branch"),
    "is_relocation_site": _l("Relocation site"),
    "is_ethnic_area": _l("Ethnic area"),
    "is_western": _l("Western region"),
}

kind(
    "division",
    _l("Division"),
    {
        "name": Field(_l("Name")),
        "latitude": Field(_l("Latitude")),
        "longitude": Field(_l("Longitude")),
        "checkin_radius_m": Field(_l("Check-in radius")),
        "population": Field(_l("Population")),
        "households": Field(_l("Households")),
        "collective_income": Field(_l("Collective income")),
        "exited_year": Field(_l("Exited in")),
        "urban_rural_code": Field(_l("Urban-rural code")),
        **{flag: Field(label, yes_no) for flag, label in FLAG_LABELS.items()},
    },
    title="name",
    page="/divisions/{id}",
    permission=DIVISION_READ,
)
kind(
    "division_table",
    _l("Division code table"),
    {"file": Field(_l("File")), "sha256": Field("SHA-256", hidden=True)},
    title="file",
)
kind("village_group", _l("Village group"), {"number": Field(_l("Number")), "name": Field(_l("Name"))}, title="name")


@resolver("division")
def division_names(session: Any, codes: set[str]) -> dict[str, str]:
    rows = session.execute(
        select(Division.code, Division.name).where(Division.code.in_(sorted(codes))).execution_options(**ACROSS_AREAS)
    )
    return dict(rows.all())  # type: ignore[arg-type]
