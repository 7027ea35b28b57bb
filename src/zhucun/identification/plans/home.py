"""Home items of plans: for whoever edits household plans, the households in care without
a plan and the measures overdue (a helper: their own households); for the work team, the
projects of the village's development plan not yet done."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhucun.core.i18n import _l
from zhucun.core.mechanism import HomeItem
from zhucun.core.permissions import Role

from ..permissions import PLAN_WRITE, PROJECT_WRITE
from . import present, queries

GROUP = _l("Causes and plans")
OPEN_PROJECTS = ("planned", "funded", "building")


def items(ctx: Any) -> list[HomeItem]:
    """What waits in plans for the reader, per area granted."""
    found: list[HomeItem] = []
    if ctx.principal.can(PLAN_WRITE):
        mine = ctx.principal.user_id if present.helper_only(ctx.principal) else None
        for area in _areas(ctx, PLAN_WRITE):
            total, _rows = queries.without_plan(ctx.session, area, mine)
            found.append(
                HomeItem(
                    _l("Households without a plan"),
                    total,
                    f"/identification/plans?division={area}&without=1",
                    "warn",
                    GROUP,
                )
            )
            late = queries.overdue_count(ctx.session, area, date.today())
            found.append(
                HomeItem(
                    _l("Plan measures overdue"),
                    late,
                    f"/identification/plans?division={area}&overdue=1",
                    "alert",
                    GROUP,
                )
            )
    if ctx.principal.can(PROJECT_WRITE):
        for area in _areas(ctx, PROJECT_WRITE, levels=(Role.FIRST_SECRETARY, Role.TEAM_MEMBER)):
            counts = queries.project_status(ctx.session, area)
            running = sum(n for status, n in counts.items() if status in OPEN_PROJECTS)
            found.append(
                HomeItem(
                    _l("Village plan projects under way"),
                    running,
                    f"/identification/villages/{area}/development-plan",
                    "",
                    GROUP,
                )
            )
    return found


def _areas(ctx: Any, permission: str, levels: tuple[Role, ...] | None = None) -> list[str]:
    from zhucun.core.permissions import role_has

    return sorted(
        {
            g.division_code
            for g in ctx.principal.grants
            if g.division_code and role_has(g.role, permission) and (levels is None or g.role in levels)
        }
    )
