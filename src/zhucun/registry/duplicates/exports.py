"""Columns of the duplicate registrations export (ID numbers masked)."""

from __future__ import annotations

from ...core.export import Column
from ...core.i18n import _, _l
from .. import catalogues as cat

COLUMNS = [
    Column(_l("Duplicate"), lambda r: r[0]),
    Column(_l("Counties"), lambda r: r[1].counties),
    Column(_l("County code"), lambda r: r[2].county_code),
    Column(_l("Village code"), lambda r: r[2].village_code),
    Column(_l("Village"), lambda r: r[2].village_name),
    Column(_l("Household number"), lambda r: r[2].household_no),
    Column(_l("Full name"), lambda r: r[2].name if r[2].visible else _("registered outside your area")),
    Column(_l("ID number"), lambda r: r[2].id_masked),
    Column(_l("Relation to the head"), lambda r: cat.RELATION.label(r[2].relation)),
]
