"""The helpers page: coverage per township and village of an area (names, totals, the
division kept in the URL, a .csv of what is shown) and, for the organisation department,
the county's assignment in one click."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import select

from zhucun.core.codes import level_of
from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import NotFound
from zhucun.core.forms import attempt
from zhucun.core.i18n import _
from zhucun.core.scope import access
from zhucun.core.web import redirect, render
from zhucun.divisions.models import Division
from zhucun.selection.matching import queries as matching_queries
from zhucun.selection.permissions import HELPER_READ, HELPER_WRITE

from . import queries, service

router = APIRouter(include_in_schema=False)
Code = Annotated[str | None, Query(pattern=r"^\d{12}$")]
Show = Annotated[str | None, Query(pattern="^(without|over|teams)$")]
Term = Annotated[int | None, Query(ge=2000, le=2100)]


# Which villages a filter keeps: those with households left without, or with helpers over the cap.
KEEP = {"without": "without_helper", "over": "helpers_over_cap"}


def _context(
    ctx: Ctx, division: str | None, errors: dict[str, str], show: str | None = None, term: int | None = None
) -> dict[str, Any]:
    division = division or queries.default_area(ctx.session, ctx.principal)
    context: dict[str, Any] = {"division": division, "errors": errors, "report": None, "area": None}
    context.update(show=show, teams=None, term=None)
    if division:
        context["area"] = access(ctx.session, Division, division)
        report = queries.report(ctx.session, division)
        if show in KEEP:
            report["villages"] = [v for v in report["villages"] if v[KEEP[show]]]
            report["townships"] = [t for t in report["townships"] if t[KEEP[show]]]
        context["report"] = report
        context.update(_teams(ctx, division, term, incomplete=show == "teams"))
    context["can_assign"] = ctx.principal.can(HELPER_WRITE) and division is not None and division.endswith("000000")
    is_county = division is not None and level_of(division) == "county"
    context["last"] = queries.last_assignment(ctx.session, division) if division and is_county else None
    return context


def _teams(ctx: Ctx, division: str, term: int | None, *, incomplete: bool) -> dict[str, Any]:
    """The marked villages' work teams in post for the term (by default the latest marked)."""
    term = term or matching_queries.latest_term(ctx.session, division)
    if term is None:
        return {}
    rows = matching_queries.teams(ctx.session, division, term)
    codes = [r["code"] for r in rows]
    names = dict(ctx.session.execute(select(Division.code, Division.name).where(Division.code.in_(codes))).all())
    shown = [{**r, "name": names.get(r["code"], "")} for r in rows if not (incomplete and r["complete"])]
    return {"term": term, "teams": shown, "teams_total": len(rows), "teams_complete": sum(r["complete"] for r in rows)}


@router.get("/selection/helpers")
def helpers_page(
    ctx: Ctx = permit(HELPER_READ),
    division: Code = None,
    show: Show = None,
    term: Term = None,
) -> Response:
    return render(ctx.request, "helpers/coverage.html", _context(ctx, division, {}, show, term))


@router.get("/selection/helpers/export.csv")
def helpers_export(
    ctx: Ctx = permit(HELPER_READ), division: Code = None, show: Show = None, term: Term = None
) -> Response:
    """What the page shows with the same filters: the marked villages' teams, or the coverage."""
    context = _context(ctx, division, {}, show, term)
    if show == "teams" and context["teams"] is not None:
        return _teams_csv(context)
    if not context["report"]:
        raise NotFound()
    return _csv(context["report"])


def _teams_csv(context: dict[str, Any]) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Village"), _("In post"), _("Team size"), _("Status")])
    for t in context["teams"]:
        writer.writerow([t["name"], t["posted"], t["team_size"], _("complete") if t["complete"] else _("incomplete")])
    return _attachment(out, f"teams-{context['division']}-{context['term']}.csv")


def _attachment(out: io.StringIO, name: str) -> Response:
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


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
    return _attachment(out, f"helpers-{report['division']}.csv")


@router.post("/selection/helpers/counties/{county}/assign")
def assign(county: str, ctx: Ctx = permit(HELPER_WRITE)) -> Response:
    access(ctx.session, Division, county)
    errors = attempt(
        ctx.session, lambda: service.assign_helpers(ctx.session, actor=ctx.principal, county=county), "county"
    )
    if not errors:
        # The page shows the outcome it just recorded (the county's last assignment).
        return redirect(f"/selection/helpers?division={county}#outcome", ctx.request)
    return render(ctx.request, "helpers/coverage.html", _context(ctx, county, errors), status=422)
