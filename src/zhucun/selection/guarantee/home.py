"""Guarantee's counts on the home pages. The organisation department: accident insurance
ending soon and health checks overdue in each of its counties. A dispatching unit: the
villages its cadres serve in now and their last month's statement."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from zhucun.core.i18n import _l
from zhucun.core.mechanism import HomeItem
from zhucun.core.permissions import Role
from zhucun.home.work import has_role, scoped
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.permissions import GUARANTEE_READ

from . import queries

GROUP = _l("Incentive and guarantee")


def items(ctx: Any) -> list[HomeItem]:
    if not ctx.principal.can(GUARANTEE_READ):
        return []
    found: list[HomeItem] = []
    with scoped(ctx, GUARANTEE_READ) as session:
        if has_role(ctx, Role.ORG_DEPT, Role.ADMIN):
            found += _county_items(ctx, session)
        found += _unit_items(ctx, session)
    return found


def _counties(ctx: Any, *roles: Role) -> list[str]:
    return sorted({g.division_code[:6] for g in ctx.principal.grants if g.role in roles and g.division_code})


def _county_items(ctx: Any, session: Any) -> list[HomeItem]:
    today, found = date.today(), []
    for county in _counties(ctx, Role.ORG_DEPT, Role.ADMIN):
        expiring = queries.expiring_count(session, county, today)
        overdue = queries.health_overdue_count(session, county, today)
        found += [
            HomeItem(
                _l("Accident insurance ending soon"),
                expiring,
                f"/selection/guarantee/insurance?county={county}&expiring=1",
                "warn" if expiring else "ok",
                GROUP,
            ),
            HomeItem(
                _l("Health checks overdue"),
                overdue,
                f"/selection/guarantee/health?county={county}",
                "alert" if overdue else "ok",
                GROUP,
            ),
        ]
    return found


def _unit_items(ctx: Any, session: Any) -> list[HomeItem]:
    found = []
    for grant in ctx.principal.grants:
        if grant.role != Role.UNIT or not grant.unit_id or not grant.division_code:
            continue
        county = grant.division_code[:6]
        villages = session.scalar(
            select(func.count(func.distinct(CadrePosting.village_code)))
            .join(Cadre, (Cadre.county_code == CadrePosting.county_code) & (Cadre.id == CadrePosting.cadre_id))
            .where(CadrePosting.county_code == county, CadrePosting.end_date.is_(None), Cadre.unit_id == grant.unit_id)
        )
        month = queries.parse_month(None)
        statement = queries.statement(session, county, month, unit_id=grant.unit_id)
        link = f"/selection/guarantee?county={county}&unit_id={grant.unit_id}"
        found += [
            HomeItem(_l("Villages our cadres serve in"), villages or 0, f"/registry/teams?county={county}", "", GROUP),
            HomeItem(_l("Our cadres' monthly statements"), len(statement["rows"]), link, "", GROUP),
        ]
    return found
