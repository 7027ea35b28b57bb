"""How accounts and dispatching units read in history and audit: their fields, and the
names looked up for a page — an account by its display name, a unit by its name."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..core.i18n import _, _l
from ..core.models import User
from ..core.permissions import ROLE_LABELS, USER_READ, Role
from ..core.present import Field, Names, catalogue, kind, resolver, yes_no
from ..core.records import EXPORT_FIELDS
from ..core.scope import ACROSS_AREAS
from .units.models import Unit
from .units.permissions import UNIT_READ
from .units.schemas import UNIT_KIND, UNIT_LEVEL


def _grants(value: Any, names: Names) -> str:
    """Recorded grants ([role, division, unit], …) as "乡镇（金堰镇）、…"."""
    shown = []
    for role, division, _unit in value or []:
        label = str(ROLE_LABELS.get(Role(role), role)) if role in Role._value2member_map_ else role
        where = names.get(("division", str(division)), division) if division else _("the whole country")
        shown.append(_("{name} ({detail})").format(name=label, detail=where))
    return "、".join(shown)


def _grant_divisions(value: Any) -> list[tuple[str, str]]:
    return [("division", str(division)) for _role, division, _unit in value or [] if division]


def _counties(value: Any, names: Names) -> str:
    return "、".join(names.get(("division", str(code)), str(code)) for code in value or [])


kind(
    "user",
    _l("Account"),
    {
        "username": Field(_l("Username")),
        "display_name": Field(_l("Display name")),
        "division_code": Field(_l("Area"), refers="division"),
        "is_active": Field(_l("Active"), yes_no),
        "grants": Field(_l("Roles"), _grants, refs=_grant_divisions),
        "failures": Field(_l("Failed attempts")),
        "locked": Field(_l("Locked"), yes_no),
    },
    title="display_name",
    page="/users/{id}",
    permission=USER_READ,
)
kind(
    "unit",
    _l("Dispatching unit"),
    {
        "name": Field(_l("Name")),
        "level": Field(_l("Level"), catalogue(UNIT_LEVEL)),
        "kind": Field(_l("Kind"), catalogue(UNIT_KIND)),
        "division_code": Field(_l("Seat"), refers="division"),
        "paired_counties": Field(
            _l("Paired counties"), _counties, refs=lambda value: [("division", str(c)) for c in value or []]
        ),
        "county": Field(_l("County"), refers="division"),
    },
    title="name",
    page="/registry/units/{id}",
    permission=UNIT_READ,
)
kind("units", _l("Dispatching units"), EXPORT_FIELDS)


@resolver("user")
def user_names(session: Any, ids: set[str]) -> dict[str, str]:
    # Who made a change the reader can see is named whatever the account's area: only the
    # display name is read.
    wanted = [int(i) for i in ids if i.isdigit()]
    rows = session.execute(
        select(User.id, User.display_name).where(User.id.in_(wanted)).execution_options(**ACROSS_AREAS)
    )
    return {str(key): name for key, name in rows}


@resolver("unit")
def unit_names(session: Any, ids: set[str]) -> dict[str, str]:
    rows = session.execute(select(Unit.id, Unit.name).where(Unit.id.in_([int(i) for i in ids if i.isdigit()])))
    return {str(key): name for key, name in rows}
