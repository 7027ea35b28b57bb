"""How divisions read in history and audit: their fields, and their names looked up for a
page. Division names are public reference data (the statistics bureau publishes them), so
a change elsewhere names the village it concerns even outside the reader's area."""

from __future__ import annotations

from typing import Any

from ..core.i18n import _, _l
from ..core.naming import Names
from ..core.permissions import DIVISION_READ
from ..core.present import Field, kind, labelled, resolver, yes_no

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
        **labelled(
            {
                "name": _l("Name"),
                "latitude": _l("Latitude"),
                "longitude": _l("Longitude"),
                "checkin_radius_m": _l("Check-in radius"),
                "population": _l("Population"),
                "households": _l("Households"),
                "collective_income": _l("Collective income"),
                "exited_year": _l("Exited in"),
                "urban_rural_code": _l("Urban-rural code"),
            }
        ),
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
kind("village_group", _l("Village group"), labelled({"number": _l("Number"), "name": _l("Name")}), title="name")


@resolver("division_table")
def table_names(session: Any, ids: set[str]) -> dict[str, str]:
    """A table loaded for an area (the demo's county) is recorded under the area's code:
    named by the area ("青岚县区划代码表"), never by its twelve digits."""
    areas = Names(session).named(i for i in ids if len(i) == 12 and i.isdigit())
    return {code: _("{area} division code table").format(area=name) for code, name in areas.items()}
