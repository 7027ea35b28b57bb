"""Households by village and status: one GROUP BY over the register of an area (a county, a
township or a village, chosen with the division picker), a row per village with each count
opening the household list behind it, the area's totals, a .xlsx of what is shown, and the
home item that opens it for whoever watches a county's or a township's households."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhucun.core import export as exporting
from zhucun.core.deps import Ctx, permit
from zhucun.core.i18n import _, _l
from zhucun.core.mechanism import HomeItem
from zhucun.core.permissions import Role
from zhucun.core.scope import Area
from zhucun.core.web import render
from zhucun.divisions.areas import own_division, report_area
from zhucun.divisions.models import Division
from zhucun.home.work import has_role, scoped

from .catalogues import ASSISTED_STATUSES, CATALOGUES, MONITORED_STATUSES
from .models import Household
from .permissions import HOUSEHOLD_READ

router = APIRouter(include_in_schema=False)
Code = Annotated[str | None, Query(pattern=r"^(\d{6}|\d{9}|\d{12})?$")]
# The statuses shown as columns: those the mechanism works for, then everyone else together.
COLUMNS = ASSISTED_STATUSES
# Roles that watch households across villages (the village's own people see their village).
WATCHERS = (Role.RR_BUREAU, Role.TOWNSHIP, Role.ORG_DEPT)


@dataclass
class VillageRow:
    code: str
    name: str
    township: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def assisted(self) -> int:
        return sum(self.counts.get(s, 0) for s in ASSISTED_STATUSES)

    @property
    def monitored(self) -> int:
        return sum(self.counts.get(s, 0) for s in MONITORED_STATUSES)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def by_village(session: Session, area: Area) -> list[VillageRow]:
    """Each village of the area with households, its households counted by status."""
    counts = session.execute(
        select(Household.village_code, Household.status, func.count())
        .where(area.within(Household.village_code))
        .group_by(Household.village_code, Household.status)
    ).all()
    codes = sorted({village for village, _status, _n in counts})
    villages = {d.code: d for d in session.scalars(select(Division).where(Division.code.in_(codes)))}
    townships = dict(
        session.execute(
            select(Division.code, Division.name).where(
                Division.code.in_({d.parent_code for d in villages.values() if d.parent_code})
            )
        ).all()
    )
    rows = {
        code: VillageRow(
            code,
            villages[code].name if code in villages else code,
            townships.get(villages[code].parent_code or "", "") if code in villages else "",
        )
        for code in codes
    }
    for village, status, n in counts:
        rows[village].counts[status or ""] = rows[village].counts.get(status or "", 0) + int(n)
    return sorted(rows.values(), key=lambda r: (r.township, r.code))


def totals(rows: list[VillageRow]) -> VillageRow:
    total = VillageRow("", _("Total"), "")
    for row in rows:
        for status, n in row.counts.items():
            total.counts[status] = total.counts.get(status, 0) + n
    return total


def _columns() -> list[exporting.Column]:
    status = CATALOGUES["household_status"]
    return [
        exporting.Column(_("Township"), lambda r: r.township),
        exporting.Column(_("Village"), lambda r: r.name),
        exporting.Column(_("Village code"), lambda r: r.code),
        *(exporting.Column(status.label(code), lambda r, c=code: r.counts.get(c, 0)) for code in COLUMNS),
        exporting.Column(_("Assisted"), lambda r: r.assisted),
        exporting.Column(_("Monitored"), lambda r: r.monitored),
        exporting.Column(_("All households"), lambda r: r.total),
    ]


@router.get("/registry/households-by-village")
def page(ctx: Ctx = permit(HOUSEHOLD_READ), division: Code = None) -> Response:
    place = report_area(ctx, division)
    rows = by_village(ctx.session, Area.of(place.code))
    status = CATALOGUES["household_status"]
    return render(
        ctx.request,
        "registry/by_village.html",
        {
            "place": place,
            "division": place.code,
            "rows": rows,
            "total": totals(rows),
            "statuses": [(code, status.label(code)) for code in COLUMNS],
        },
    )


@router.get("/registry/households-by-village/export.xlsx")
def export(ctx: Ctx = permit(HOUSEHOLD_READ), division: Code = None) -> Response:
    """The villages the page shows, with the area's total as the last row."""
    place = report_area(ctx, division)
    rows = by_village(ctx.session, Area.of(place.code))
    return exporting.response("xlsx", f"households-by-village-{place.code}", _columns(), [*rows, totals(rows)])


def items(ctx: Any) -> list[HomeItem]:
    """For the bureau, the township and the organisation department: the villages of their area
    with assisted households, opening the table by village and status."""
    if not ctx.principal.can(HOUSEHOLD_READ) or not has_role(ctx, *WATCHERS):
        return []
    area = own_division(ctx.principal, HOUSEHOLD_READ)
    with scoped(ctx, HOUSEHOLD_READ) as session:
        villages = (
            session.scalar(
                select(func.count(func.distinct(Household.village_code))).where(
                    Household.status.in_(ASSISTED_STATUSES),
                    *([Area.of(area).within(Household.village_code)] if area else []),
                )
            )
            or 0
        )
    url = f"/registry/households-by-village?division={area}" if area else "/registry/households-by-village"
    return [HomeItem(_l("Villages with assisted households, by status"), villages, url, "", _l("Households"))]
