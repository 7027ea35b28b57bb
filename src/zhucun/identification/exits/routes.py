"""Exit indicators over HTTP: the API, the page (a division chosen by name, villages that
meet or miss the exit line, kept in the URL) and a .csv of the villages shown."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zhucun.core.deps import Ctx, permit
from zhucun.core.i18n import _
from zhucun.core.scope import Area
from zhucun.core.web import render
from zhucun.divisions.areas import report_area
from zhucun.identification.permissions import REPORT_READ
from zhucun.identification.quality.routes import Code, Year, csv_response

from . import queries

router = APIRouter()
Meets = Annotated[Literal["", "yes", "no"], Query(description="only villages that meet (yes) or miss (no) it")]


def exit_report(ctx: Ctx, division: str | None, year: int | None) -> dict[str, Any]:
    place = report_area(ctx, division)
    area = Area.of(place.code)
    villages = queries.villages(ctx.session, area)
    found = queries.indicators(ctx.session, area, villages, place.code[:2], place.is_western, year)
    return {"place": place, "indicators": found, "villages": villages}


@router.get("/api/v1/exit-indicators", tags=["identification"])
def exit_indicators_api(
    ctx: Ctx = permit(REPORT_READ), division: Code = None, year: Year = None, meets: Meets = ""
) -> dict[str, Any]:
    """Exit indicators of a division computed from the register: poverty incidence, wrongly
    exited and missed households, public approval, and each village against the exit line."""
    report = exit_report(ctx, division, year)
    shown = [v.as_json() for v in report["villages"] if not meets or v.meets == (meets == "yes")]
    return {"division": report["place"].code, "indicators": report["indicators"].as_json(), "villages": shown}


@router.get("/identification/exit/export.csv", include_in_schema=False)
def exit_export(
    ctx: Ctx = permit(REPORT_READ), division: Code = None, year: Year = None, meets: Meets = ""
) -> Response:
    """The villages the page shows, as .csv."""
    return exit_page(ctx, division, year, meets, "csv")


@router.get("/identification/exit", include_in_schema=False)
def exit_page(
    ctx: Ctx = permit(REPORT_READ), division: Code = None, year: Year = None, meets: Meets = "", format: str = ""
) -> Response:
    report = exit_report(ctx, division, year)
    shown = [v for v in report["villages"] if not meets or v.meets == (meets == "yes")]
    if format == "csv":
        header = [
            _("Village"),
            _("Households"),
            _("People"),
            _("Poor people"),
            _("Poverty incidence"),
            _("Exit line"),
            _("Meets"),
        ]
        rows = [
            [
                v.name,
                v.households,
                v.people,
                v.poor_people,
                f"{v.incidence:.4f}",
                f"{v.threshold:.4f}",
                _("yes") if v.meets else _("no"),
            ]
            for v in shown
        ]
        return csv_response(f"exit-{report['place'].code}.csv", header, rows)
    context = {**report, "shown": shown, "meets": meets, "division": report["place"].code, "year": year}
    return render(ctx.request, "exits/indicators.html", context)
