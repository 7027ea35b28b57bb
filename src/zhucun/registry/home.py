"""The register's counts on the home pages: households by status, monitored households,
and for the village's own people their village."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..core.i18n import _l
from ..core.mechanism import HomeItem
from ..core.permissions import Role
from ..core.web import render_names
from ..home.work import has_role, scoped, villages_of
from .catalogues import CATALOGUES, MONITORED_STATUSES
from .models import Household
from .permissions import HOUSEHOLD_READ
from .queries import below_line, helped_by_clause

# Households the mechanism works for: registered poor or exited with support, returned, monitored.
ASSISTED = ("11", "12", "13", "21", "22", "23")
STATUS_TONES = {"11": "warn", "13": "alert", "21": "warn", "22": "warn", "23": "alert"}
VILLAGE_ROLES = (Role.FIRST_SECRETARY, Role.TEAM_MEMBER, Role.VILLAGE_COMMITTEE)


def _below_line(ctx: Any, group: Any) -> HomeItem:
    """The bureau's watch list: households whose latest income per head is under the line."""
    with scoped(ctx, HOUSEHOLD_READ) as session:
        below = session.scalar(select(func.count()).select_from(Household).where(below_line())) or 0
    url = "/registry/households?below=1"
    return HomeItem(_l("Incomes below the monitoring line"), below, url, "alert" if below else "", group)


def items(ctx: Any) -> list[HomeItem]:
    if not ctx.principal.can(HOUSEHOLD_READ):
        return []
    with scoped(ctx, HOUSEHOLD_READ) as session:
        # One GROUP BY gives every count of this section.
        counts = dict(session.execute(select(Household.status, func.count()).group_by(Household.status)).all())
    group = _l("Households")
    found = []
    if has_role(ctx, Role.HELPER):
        # A helper's own households: those their account is the open helper of (within the
        # cap), not every assisted household of the village they may read.
        with scoped(ctx, HOUSEHOLD_READ) as session:
            mine_only = helped_by_clause(ctx.principal.user_id or 0)
            mine = session.scalar(select(func.count()).select_from(Household).where(mine_only)) or 0
        found.append(HomeItem(_l("My households"), mine, "/registry/households?mine=1", "", group))
    monitored = sum(counts.get(s, 0) for s in MONITORED_STATUSES)
    found.append(
        HomeItem(
            _l("Monitored households"),
            monitored,
            "/registry/households?monitored=1",
            "warn" if monitored else "",
            group,
        )
    )
    status = CATALOGUES["household_status"]
    for code in ASSISTED:
        if counts.get(code):
            found.append(
                HomeItem(
                    status.label(code),
                    counts[code],
                    f"/registry/households?status={code}",
                    STATUS_TONES.get(code, ""),
                    group,
                )
            )
    found.append(HomeItem(_l("All households"), sum(counts.values()), "/registry/households", "", group))
    if has_role(ctx, Role.RR_BUREAU):
        found.append(_below_line(ctx, group))
    names = render_names(ctx)
    for village in villages_of(ctx, *VILLAGE_ROLES):
        found.insert(
            0, HomeItem(names.division_path(village, "township"), None, f"/divisions/{village}", "", _l("Our village"))
        )
    return found
