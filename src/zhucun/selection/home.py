"""Selection's counts on the home pages: cadres in post and incomplete teams for the county,
a dispatching unit's own cadres in post (never the county's), the team of the village for its
first secretary and team members."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..core.i18n import _l
from ..core.mechanism import HomeItem
from ..core.permissions import Role
from ..home.work import has_role, scoped, villages_of
from .cadres.models import Cadre, CadrePosting
from .permissions import CADRE_READ
from .teams.queries import incomplete_count

COUNTY_ROLES = (Role.ORG_DEPT, Role.RR_BUREAU, Role.ADMIN)
TEAM_ROLES = (Role.FIRST_SECRETARY, Role.TEAM_MEMBER)


def items(ctx: Any) -> list[HomeItem]:
    if not ctx.principal.can(CADRE_READ):
        return []
    group = _l("Work teams")
    found = []
    with scoped(ctx, CADRE_READ) as session:
        if has_role(ctx, *COUNTY_ROLES):
            in_post = session.scalar(select(func.count()).where(CadrePosting.end_date.is_(None))) or 0
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
        elif grants := _unit_grants(ctx):
            counties, units = {county for county, _ in grants}, {unit for _, unit in grants}
            # A unit's own cadres only: postings carry no unit, so the count goes through the cadre.
            own = session.scalar(
                select(func.count())
                .select_from(CadrePosting)
                .join(Cadre, (Cadre.county_code == CadrePosting.county_code) & (Cadre.id == CadrePosting.cadre_id))
                .where(
                    CadrePosting.county_code.in_(counties),
                    CadrePosting.end_date.is_(None),
                    Cadre.unit_id.in_(units),
                )
            )
            found.append(HomeItem(_l("Cadres in post"), own or 0, "/registry/cadres?posted=1", "", group))
        for village in villages_of(ctx, *TEAM_ROLES):
            team = session.scalar(
                select(func.count()).where(CadrePosting.end_date.is_(None), CadrePosting.village_code == village)
            )
            found.append(HomeItem(_l("Our work team"), team or 0, f"/divisions/{village}#team", "", group))
    return found


def _unit_grants(ctx: Any) -> list[tuple[str, int]]:
    """(county key, unit id) of each dispatching unit the account works for."""
    grants = [g for g in ctx.principal.grants if g.role == Role.UNIT and g.unit_id and g.division_code]
    return sorted({(g.division_code[:6], g.unit_id) for g in grants})
