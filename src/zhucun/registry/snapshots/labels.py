"""Words for the kinds of change, and for the values before and after one."""

from __future__ import annotations

from typing import Any

from ...core.export import Column
from ...core.i18n import _l
from .. import catalogues as cat

KIND_LABELS: dict[str, Any] = {
    "households_added": _l("Households added"),
    "households_removed": _l("Households removed"),
    "status_changed": _l("Status changed"),
    "members_added": _l("Members added"),
    "members_removed": _l("Members removed"),
    "members_moved": _l("Members moved"),
}


def value_label(kind: str, value: str | None) -> str:
    """A status in words; a household number (of a move) as it is."""
    if value is None:
        return ""
    if kind.startswith("household") or kind == "status_changed":
        return cat.HOUSEHOLD_STATUS.label(value)
    return cat.MEMBER_STATUS.label(value) if kind in ("members_added", "members_removed") else value


COLUMNS = [
    Column(_l("Change"), lambda c: KIND_LABELS[c.kind]),
    Column(_l("Village code"), lambda c: c.village_code),
    Column(_l("Household number"), lambda c: c.household_no),
    Column(_l("Full name"), lambda c: c.name),
    Column(_l("Before"), lambda c: value_label(c.kind, c.before)),
    Column(_l("After"), lambda c: value_label(c.kind, c.after)),
]
