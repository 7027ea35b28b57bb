"""Selection's counts on the home pages: cadres in post and incomplete teams for the county,
a dispatching unit's own cadres in post (never the county's), the team of the village for its
first secretary and team members."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from ..core.i18n import _l
from ..core.mechanism import HomeItem
from ..core.permissions import Role
from ..home.work import has_role, scoped, villages_of
from .cadres.models import Cadre, CadrePosting
from .matching.models import Nomination
from .matching.queries import latest_term
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
                    _l("Key villages whose team in post is short"),
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
            found.append(_nominated(session, sorted(counties), sorted(units), group))
        for village in villages_of(ctx, *TEAM_ROLES):
            team = session.scalar(
                select(func.count()).where(CadrePosting.end_date.is_(None), CadrePosting.village_code == village)
            )
            found.append(HomeItem(_l("Our work team"), team or 0, f"/divisions/{village}#team", "", group))
    return found


def _nominated(session: Any, counties: list[str], units: list[int], group: Any) -> HomeItem:
    """A unit's cadres nominated for the coming term: the latest with villages marked, or this year's."""
    term = max((t for c in counties if (t := latest_term(session, c + "000000")) is not None), default=None)
    term = max(term or 0, date.today().year)
    count = session.scalar(
        select(func.count())
        .select_from(Nomination)
        .where(Nomination.county_code.in_(counties), Nomination.term == term, Nomination.unit_id.in_(units))
    )
    label = ForTerm(_l("Our cadres nominated for the term starting in {year}"), term)
    return HomeItem(label, count or 0, f"/selection/nominations?year={term}&nominated=1", "", group)


def _unit_grants(ctx: Any) -> list[tuple[str, int]]:
    """(county key, unit id) of each dispatching unit the account works for."""
    grants = [g for g in ctx.principal.grants if g.role == Role.UNIT and g.unit_id and g.division_code]
    return sorted({(g.division_code[:6], g.unit_id) for g in grants})


class ForTerm:
    """A lazy label with a term's year filled in when shown (in the reader's language)."""

    def __init__(self, label: Any, year: int) -> None:
        self.label, self.year = label, year

    def __str__(self) -> str:
        return str(self.label).format(year=self.year)
