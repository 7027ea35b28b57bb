"""Multidimensional poverty of the register over HTTP: the API and the page (a division
chosen by name, a table per child division, a .csv of it). Shared helpers of the
identification reports: the division query field, a .csv answer (the area a report covers
is ``identification.areas.report_area``)."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zhucun.core.deps import Ctx, permit
from zhucun.core.i18n import _
from zhucun.core.web import render
from zhucun.divisions.areas import report_area
from zhucun.identification.permissions import REPORT_READ

from . import mpi as register_mpi

router = APIRouter()
Code = Annotated[str | None, Query(pattern=r"^(\d{12})?$", description="a division's code (default: your area)")]
Year = Annotated[int | None, Query(ge=2000, le=2100, description="the year of incomes (default: the latest)")]


def csv_response(name: str, header: list[Any], rows: list[list[Any]]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/api/v1/mpi", tags=["identification"])
def mpi_api(ctx: Ctx = permit(REPORT_READ), division: Code = None, year: Year = None) -> dict[str, Any]:
    """Alkire–Foster over the register's households of a division and of each child
    division: H, A, M0, each indicator's censored headcount and contribution."""
    return register_mpi.as_json(register_mpi.report(ctx.session, report_area(ctx, division), year))


@router.get("/identification/mpi/export.csv", include_in_schema=False)
def mpi_export(ctx: Ctx = permit(REPORT_READ), division: Code = None, year: Year = None) -> Response:
    """The table per child division the page shows, as .csv."""
    return mpi_page(ctx, division, year, "csv")


@router.get("/identification/mpi", include_in_schema=False)
def mpi_page(ctx: Ctx = permit(REPORT_READ), division: Code = None, year: Year = None, format: str = "") -> Response:
    found = register_mpi.report(ctx.session, report_area(ctx, division), year)
    indicators = list(found.spec.cutoffs)
    if format == "csv":
        header = [_("Division"), _("Households"), "H", "A", "M0"]
        header += [f"{register_mpi.LABELS[c]} h" for c in indicators]
        rows = [
            [
                r.name,
                r.result.n,
                *(f"{float(x):.6f}" for x in (r.result.H, r.result.A, r.result.M0)),
                *(f"{float(r.result.censored_headcount[c]):.6f}" for c in indicators),
            ]
            for r in found.children
        ]
        return csv_response(f"mpi-{found.division.code}.csv", header, rows)
    context = {
        "report": found,
        "indicators": indicators,
        "labels": register_mpi.LABELS,
        "division": found.division.code,
    }
    return render(ctx.request, "quality/mpi.html", context)
