"""Targeting quality over HTTP: inclusion and exclusion errors per village of a division,
the API, the page (a division chosen by name, the survey import one click away) and a .csv."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response

from zhucun.core.deps import Ctx, permit
from zhucun.core.i18n import _
from zhucun.core.scope import Area
from zhucun.core.web import render
from zhucun.divisions.areas import report_area
from zhucun.identification.permissions import REPORT_READ, SURVEY_IMPORT

from . import targeting
from .routes import Code, csv_response

router = APIRouter()


def _rate(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


@router.get("/api/v1/targeting", tags=["identification"])
def targeting_api(ctx: Ctx = permit(REPORT_READ), division: Code = None) -> dict[str, Any]:
    """Inclusion and exclusion errors of the register against the latest reference-income
    survey, per village of a division, with their rates and the division's total."""
    place = report_area(ctx, division)
    found = targeting.report(ctx.session, Area.of(place.code))
    return {"division": place.code, "total": targeting.total(found).as_json(), "villages": [v.as_json() for v in found]}


@router.get("/identification/targeting/export.csv", include_in_schema=False)
def targeting_export(ctx: Ctx = permit(REPORT_READ), division: Code = None) -> Response:
    """The villages the page shows, as .csv."""
    return targeting_page(ctx, division, "csv")


@router.get("/identification/targeting", include_in_schema=False)
def targeting_page(ctx: Ctx = permit(REPORT_READ), division: Code = None, format: str = "") -> Response:
    place = report_area(ctx, division)
    found = targeting.report(ctx.session, Area.of(place.code))
    if format == "csv":
        header = [
            _("Village"),
            _("Year"),
            _("Surveyed"),
            _("Matched in the register"),
            _("Registered poor"),
            _("Below the line"),
            _("Inclusion errors"),
            _("Inclusion rate"),
            _("Exclusion errors"),
            _("Exclusion rate"),
        ]
        rows = [
            [
                v.name,
                v.year,
                v.surveyed,
                v.matched,
                v.registered,
                v.below_line,
                v.inclusion,
                _rate(v.inclusion_rate),
                v.exclusion,
                _rate(v.exclusion_rate),
            ]
            for v in found
        ]
        return csv_response(f"targeting-{place.code}.csv", header, rows)
    context = {
        "place": place,
        "division": place.code,
        "villages": found,
        "total": targeting.total(found),
        "can_import": ctx.principal.can(SURVEY_IMPORT),
    }
    return render(ctx.request, "quality/targeting.html", context)
