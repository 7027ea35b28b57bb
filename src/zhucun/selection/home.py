"""Selection's counts on the home pages: cadres in post and incomplete teams for the county,
the team of the village for its first secretary and team members."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..core.i18n import _l
from ..core.mechanism import HomeItem
from ..core.permissions import Role
from ..home.work import has_role, scoped, villages_of
from .cadres.models import CadrePosting
from .permissions import CADRE_READ
from .teams.queries import incomplete_count

COUNTY_ROLES = (Role.ORG_DEPT, Role.RR_BUREAU, Role.UNIT, Role.ADMIN)
TEAM_ROLES = (Role.FIRST_SECRETARY, Role.TEAM_MEMBER)


def items(ctx: Any) -> list[HomeItem]:
    if not ctx.principal.can(CADRE_READ):
        return []
    group = _l("Work teams")
    found = []
    with scoped(ctx, CADRE_READ) as session:
        in_post = session.scalar(select(func.count()).where(CadrePosting.end_date.is_(None))) or 0
        if has_role(ctx, *COUNTY_ROLES):
            found.append(HomeItem(_l("Cadres in post"), in_post, "/registry/cadres?posted=1", "", group))
            short = incomplete_count(session, minimum=ctx.settings.team_minimum)
            found.append(
                HomeItem(
                    _l("Villages without a full team"),
                    short,
                    "/registry/teams?incomplete=1",
                    "alert" if short else "ok",
                    group,
                )
            )
        for village in villages_of(ctx, *TEAM_ROLES):
            team = session.scalar(
                select(func.count()).where(CadrePosting.end_date.is_(None), CadrePosting.village_code == village)
            )
            found.append(HomeItem(_l("Our work team"), team or 0, f"/divisions/{village}#team", "", group))
    return found
