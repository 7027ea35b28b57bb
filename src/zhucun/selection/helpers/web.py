"""The helpers page: coverage per township and village of an area (names, totals, the
division kept in the URL, a .csv of what is shown) and, for the organisation department,
the county's assignment in one click."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zhucun.core.deps import Ctx, permit
from zhucun.core.forms import attempt
from zhucun.core.i18n import _
from zhucun.core.scope import access
from zhucun.core.web import redirect, render
from zhucun.divisions.models import Division
from zhucun.selection.permissions import HELPER_READ, HELPER_WRITE

from . import queries, service

router = APIRouter(include_in_schema=False)
Code = Annotated[str | None, Query(pattern=r"^\d{12}$")]


def _context(ctx: Ctx, division: str | None, errors: dict[str, str]) -> dict[str, Any]:
    division = division or queries.default_area(ctx.session, ctx.principal)
    context: dict[str, Any] = {"division": division, "errors": errors, "report": None, "area": None}
    if division:
        context["area"] = access(ctx.session, Division, division)
        context["report"] = queries.report(ctx.session, division)
    context["can_assign"] = ctx.principal.can(HELPER_WRITE) and division is not None and division.endswith("000000")
    return context


@router.get("/selection/helpers")
def helpers_page(ctx: Ctx = permit(HELPER_READ), division: Code = None, format: str | None = None) -> Response:
    context = _context(ctx, division, {})
    if format == "csv" and context["report"]:
        return _csv(context["report"])
    return render(ctx.request, "helpers/coverage.html", context)


def _csv(report: dict[str, Any]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Level"),
            _("Division"),
            _("Households in care"),
            _("With a helper"),
            _("Without"),
            _("Helpers over the cap"),
        ]
    )
    for level, rows in ((_("Township"), report["townships"]), (_("Village"), report["villages"])):
        for r in rows:
            writer.writerow(
                [level, r["name"], r["households"], r["with_helper"], r["without_helper"], r["helpers_over_cap"]]
            )
    name = f"helpers-{report['division']}.csv"
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/selection/helpers/counties/{county}/assign")
def assign(county: str, ctx: Ctx = permit(HELPER_WRITE)) -> Response:
    access(ctx.session, Division, county)
    errors = attempt(
        ctx.session, lambda: service.assign_helpers(ctx.session, actor=ctx.principal, county=county), "county"
    )
    if not errors:
        return redirect(f"/selection/helpers?division={county}", ctx.request)
    return render(ctx.request, "helpers/coverage.html", _context(ctx, county, errors), status=422)
