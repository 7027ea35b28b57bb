"""Monitoring pages: the signals of the reader's area (filters in the URL, total, export of
what is shown, a selection to open cases for), the department alerts, and the sweep."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from zhucun.core import export
from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import DomainError, Invalid
from zhucun.core.i18n import _l
from zhucun.core.web import form_values, redirect, render
from zhucun.divisions.areas import report_area
from zhucun.identification import pages

from . import present, queries, rules, service
from .permissions import ALERT_IMPORT, CASE_SWEEP, SIGNAL_ACT, SIGNAL_READ

router = APIRouter(include_in_schema=False)
Code = Annotated[str | None, Query(pattern=r"^(\d{6,12})?$")]
# The area of the list, chosen with the division picker (identification.areas).
Chosen = Annotated[str | None, Query(pattern=r"^(\d{12})?$")]
Place = Annotated[str, Path(pattern=r"^\d{12}$")]
Year = Annotated[int | None, Query(ge=2015, le=2100)]
Signal = Literal["low_income", "heavy_spending", "sudden_event", ""]
State = Literal["pending", "monitored", "in_case", ""]
PAGE = 50
EXPORT_LIMIT = 20000
NO_CHOICE = _l("Choose at least one signalled household.")


def _page(ctx: Ctx, filters: dict[str, Any], year: int | None, limit: int) -> Any:
    today = date.today()
    division = report_area(ctx, filters.get("division")).code
    village, signal, state = filters.get("village"), filters.get("signal"), filters.get("state")
    year = year or queries.default_year(today)
    page, _ = queries.signal_page(
        ctx.session,
        division,
        year=year,
        today=today,
        village=village or None,
        signal=signal or None,
        state=state or None,
        limit=limit,
    )
    return division, page


@router.get("/identification/signals")
def signal_list(
    ctx: Ctx = permit(SIGNAL_READ),
    division: Chosen = None,
    village: Code = None,
    signal: Signal | None = None,
    state: State | None = None,
    year: Year = None,
) -> Response:
    chosen = {"division": division, "village": village, "signal": signal, "state": state}
    division, page = _page(ctx, chosen, year, PAGE)
    context = {
        "page": page,
        "division": division,
        "filters": {"village": village or "", "signal": signal or "", "state": state or "", "year": page.year},
        "villages": pages.villages(ctx.session),
        "signal_labels": rules.SIGNAL_LABELS,
        "states": present.STATES,
        "may_act": ctx.principal.can(SIGNAL_ACT),
        "words": present.signal_words,
        "opened": ctx.request.query_params.get("opened"),
    }
    return render(ctx.request, "monitoring/signals.html", context)


@router.get("/identification/signals/export.xlsx")
def signal_export(
    ctx: Ctx = permit(SIGNAL_READ),
    division: Chosen = None,
    village: Code = None,
    signal: Signal | None = None,
    state: State | None = None,
    year: Year = None,
) -> Response:
    """Exactly the filtered list (no ID numbers, phones or bank accounts are in it)."""
    chosen = {"division": division, "village": village, "signal": signal, "state": state}
    _division, page = _page(ctx, chosen, year, EXPORT_LIMIT)
    names = {v.code: v.name for v in pages.villages(ctx.session, limit=EXPORT_LIMIT)}
    return export.response("xlsx", "signals", present.export_columns(names), page.items)


@router.post("/identification/signals/{division}/cases")
async def signal_cases(division: Place, ctx: Ctx = permit(SIGNAL_ACT)) -> Response:
    form = await form_values(ctx.request)
    raw = await ctx.request.form()
    chosen = [value for value in raw.getlist("household_id") if isinstance(value, str)]
    return await run_in_threadpool(_open_cases, ctx, division, form, chosen)


def _open_cases(ctx: Ctx, division: str, form: dict[str, str], chosen: list[str]) -> Response:
    year = form.get("year", "")
    # Back to the list of the same area (and year) the cases were opened from.
    back = f"/identification/signals?division={division}" + (f"&year={year}" if year.isdigit() else "")
    try:
        if not chosen or not all(c.isdigit() and len(c) < 19 for c in chosen) or not year.isdigit():
            raise Invalid(NO_CHOICE, field="household_id", code="nothing_chosen")
        opened = service.open_cases(
            ctx.session,
            actor=ctx.principal,
            division=report_area(ctx, division).code,
            household_ids=[int(c) for c in chosen],
            year=int(year),
            on=date.today(),
        )
    except DomainError as exc:
        return render(ctx.request, "monitoring/refused.html", {"message": exc.message, "back": back}, status=exc.status)
    done = opened.as_json()
    summary = f"{done['opened']}-{done['monitored']}-{done['in_case']}"
    return redirect(f"{back}{'&' if '?' in back else '?'}opened={summary}", ctx.request)


@router.get("/identification/alerts")
def alert_list(ctx: Ctx = permit(SIGNAL_READ), matched: Literal["1", "0", ""] | None = None) -> Response:
    division = report_area(ctx, None).code
    total, rows = queries.alerts(ctx.session, division, matched or None)
    may_import = ctx.principal.can(ALERT_IMPORT)
    context = {"total": total, "rows": rows, "matched": matched or "", "division": division, "may_import": may_import}
    return render(ctx.request, "monitoring/alerts.html", context)


@router.post("/identification/monitoring/{division}/sweep")
async def sweep_page(division: Place, ctx: Ctx = permit(CASE_SWEEP)) -> Response:
    await form_values(ctx.request)
    return await run_in_threadpool(_sweep, ctx, division)


def _sweep(ctx: Ctx, division: str) -> Response:
    code = report_area(ctx, division).code
    swept = service.sweep(ctx.session, actor=ctx.principal, division=code, on=date.today())
    return redirect(f"/identification/cases?late=red&swept={len(swept.escalated)}", ctx.request)
