"""How plans read: labels of statuses and categories, the columns of the exports, and
whether a reader is a helper only (whose lists are their own households)."""

from __future__ import annotations

from typing import Any

from zhucun.core.auth import Principal
from zhucun.core.export import Column
from zhucun.core.i18n import _l
from zhucun.core.permissions import Role

MEASURE_STATUSES = {"planned": _l("planned"), "doing": _l("under way"), "done": _l("done"), "dropped": _l("dropped")}
CATEGORIES = {"infrastructure": _l("infrastructure"), "industry": _l("industry"), "culture": _l("culture")}
PROJECT_STATUSES = {
    "planned": _l("planned"),
    "funded": _l("funded"),
    "building": _l("under construction"),
    "done": _l("completed"),
    "dropped": _l("dropped"),
}


def helper_only(principal: Principal) -> bool:
    return bool(principal.grants) and all(g.role == Role.HELPER for g in principal.grants)


def _get(key: str) -> Any:
    return lambda row: row[key]


EXPORT_COLUMNS = (
    Column(_l("Village"), _get("village_name")),
    Column(_l("Household no."), _get("household_no")),
    Column(_l("Head of household"), _get("head_name")),
    Column(_l("Helper"), _get("helper")),
    Column(_l("Goal"), _get("goal")),
    Column(_l("Measures"), _get("measures")),
    Column(_l("Done"), _get("done")),
    Column(_l("Overdue"), _get("overdue")),
)
PROJECT_COLUMNS = (
    Column(_l("Year"), lambda p: p.year),
    Column(_l("Category"), lambda p: str(CATEGORIES.get(p.category, p.category))),
    Column(_l("Project"), lambda p: p.name),
    Column(_l("Budget (yuan)"), lambda p: p.budget),
    Column(_l("Status"), lambda p: str(PROJECT_STATUSES.get(p.status, p.status))),
)
