"""The favouritism report over HTTP (API and pages): a ranking of an area's villages and the
households behind one village's score."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy import select

from ..core.deps import Ctx, permit
from ..core.scope import Area, access
from ..core.web import render
from ..divisions.models import Division
from ..registry import catalogues as cat
from . import favouritism
from .permissions import REPORT_READ

router = APIRouter()
Code = Annotated[str | None, Query(pattern=r"^(\d{2,12})?$", description="a division's code (default: your area)")]
Village = Annotated[str, Path(pattern=r"^\d{12}$")]
Degree = Annotated[int | None, Query(ge=1, le=4)]


def ranking(
    ctx: Ctx, division: str | None, degree: int | None
) -> tuple[Division | None, list[favouritism.VillageScore], int]:
    """The ranking over a division of the reader's area (by default the reader's own area)."""
    if not division:
        grants = [g.division_code for g in ctx.principal.grants if g.division_code]
        division = grants[0] if grants else None
    place = access(ctx.session, Division, division) if division else None
    steps = degree or ctx.settings.kin_default_degree
    since = favouritism.since_default(date.today(), ctx.settings.kin_official_years)
    area = Area.of(place.code if place else None)
    return place, favouritism.report(ctx.session, area, steps, since), steps


@router.get("/api/v1/favouritism", tags=["identification"])
def favouritism_api(
    ctx: Ctx = permit(REPORT_READ), division: Code = None, degree: Degree = None
) -> list[dict[str, Any]]:
    """Villages of a division ranked by the officials' relatives' excess share of assisted
    households and of benefit amounts (best first)."""
    _place, found, _steps = ranking(ctx, division, degree)
    return [v.as_json() for v in found]


@router.get("/identification/favouritism", include_in_schema=False)
def favouritism_page(ctx: Ctx = permit(REPORT_READ), division: Code = None) -> Response:
    place, found, steps = ranking(ctx, division, None)
    codes = [v.village_code for v in found]
    names = dict(ctx.session.execute(select(Division.code, Division.name).where(Division.code.in_(codes))).all())
    context = {"place": place, "items": found, "names": names, "degree": steps}
    return render(ctx.request, "identification/favouritism.html", context)


@router.get("/identification/favouritism/{code}", include_in_schema=False)
def favouritism_village(code: Village, ctx: Ctx = permit(REPORT_READ)) -> Response:
    village = access(ctx.session, Division, code)
    steps = ctx.settings.kin_default_degree
    rows = favouritism.households_behind(
        ctx.session, village.code, steps, favouritism.since_default(date.today(), ctx.settings.kin_official_years)
    )
    context = {"village": village, "rows": rows, "degree": steps, "status": cat.HOUSEHOLD_STATUS.label}
    context["attribute"] = cat.HOUSEHOLD_ATTRIBUTE.label
    return render(ctx.request, "identification/favouritism_village.html", context)
