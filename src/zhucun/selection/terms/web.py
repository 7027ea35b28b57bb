"""Terms pages: terms ending (with rotation), a handover checklist, recalls and their
replacement, the commendation/promotion/recall lists with their .xlsx export. Names, not
codes; filters in the URL; a refused form is shown again with the message at its field."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from zhucun.core.deps import Ctx, permit
from zhucun.core.export import Column, response
from zhucun.core.forms import attempt
from zhucun.core.i18n import _l
from zhucun.core.naming import Names
from zhucun.core.pagination import int_id
from zhucun.core.web import form_values, redirect, render
from zhucun.divisions.queries import access_county
from zhucun.procedures.engine import Action
from zhucun.registry.catalogues import POSTING_ROLE
from zhucun.selection.permissions import (
    HANDOVER_WRITE,
    LIST_WRITE,
    RECALL_ACT,
    RECALL_PROPOSE,
    TERM_READ,
    TERM_ROTATE,
)

from . import queries, recall, service, views
from .schemas import ListIn, RecallActIn, RecallIn, ReplaceIn, RotateIn
from .settings import END_REASON, LIST_KIND, LIST_SOURCE

router = APIRouter(include_in_schema=False)
Code12 = Annotated[str | None, Query(pattern=r"^\d{12}$")]
Days = Annotated[int | None, Query(ge=0, le=3650)]
RowId = Annotated[int, int_id(2**63 - 1)]


Show = Literal["all", "ended", "ending"]


def _shown(ctx: Ctx, county: str | None, days: int | None, show: str) -> dict[str, Any]:
    """The terms the filters select: ended and not rotated, ending within the window, or both."""
    code, days = views.county_and_days(ctx, county, days)
    ended, ending = queries.by_end(ctx.session, code, days) if code else ([], [])
    return {
        "county": code,
        "days": days,
        "show": show,
        "ended": ended if show != "ending" else [],
        "rows": ending if show != "ended" else [],
        # The rotation offers every term with ended postings, whatever the filter shows.
        "ended_terms": queries.ended_terms(ended),
    }


def _terms_context(
    ctx: Ctx, county: str | None, days: int | None, errors: dict[str, str], show: str = "all"
) -> dict[str, Any]:
    shown = _shown(ctx, county, days, show)
    code = shown["county"]
    return {
        **shown,
        "handovers": queries.handovers(ctx.session, code, "open") if code else [],
        "can_rotate": ctx.principal.can(TERM_ROTATE),
        "errors": errors,
    }


@router.get("/selection/terms")
def terms_page(ctx: Ctx = permit(TERM_READ), county: Code12 = None, days: Days = None, show: Show = "all") -> Response:
    return render(ctx.request, "terms/ending.html", _terms_context(ctx, county, days, {}, show))


TERM_COLUMNS = [
    Column(_l("Cadre"), lambda r: r["name"]),
    Column(_l("Village"), lambda r: r["village"]),
    Column(_l("Position"), lambda r: POSTING_ROLE.label(r["role"])),
    Column(_l("Term"), lambda r: r["term"]),
    Column(_l("Term ends"), lambda r: r["term_end"]),
    Column(_l("Term state"), lambda r: _l("Ended, not rotated") if "days_over" in r else _l("Ending soon")),
    Column(_l("Days over"), lambda r: r.get("days_over", "")),
    Column(_l("Days left"), lambda r: r.get("days_left", "")),
]


@router.get("/selection/terms/export.{fmt}")
def terms_export(
    fmt: Literal["csv", "xlsx"],
    ctx: Ctx = permit(TERM_READ),
    county: Code12 = None,
    days: Days = None,
    show: Show = "all",
) -> Response:
    """The terms the page shows (the same county, window and choice), ended ones first."""
    shown = _shown(ctx, county, days, show)
    rows = shown["ended"] + shown["rows"]
    names = Names(ctx.session)
    names.prefetch(r["village_code"] for r in rows)
    named = [dict(r, village=names.division(r["village_code"])) for r in rows]
    return response(fmt, f"terms-{(shown['county'] or 'none')[:6]}", TERM_COLUMNS, named)


@router.post("/selection/terms/counties/{county}/rotate")
async def rotate(county: str, ctx: Ctx = permit(TERM_ROTATE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_rotate, ctx, county, form)


def _rotate(ctx: Ctx, county: str, form: dict[str, str]) -> Response:
    access_county(ctx.session, county)

    def act() -> None:
        data = RotateIn.model_validate({k: v for k, v in form.items() if v and k in ("term", "reason")})
        service.rotate(
            ctx.session, actor=ctx.principal, county=county, term=data.term, on=date.today(), reason=data.reason
        )

    errors = attempt(ctx.session, act, "term")
    if not errors:
        return redirect(f"/selection/terms?county={county}", ctx.request)
    return render(ctx.request, "terms/ending.html", _terms_context(ctx, county, None, errors), status=422)


def _handover_page(ctx: Ctx, county_code: str, posting_id: int, errors: dict[str, str], status: int = 200) -> Response:
    context: dict[str, Any] = {"h": views.handover(ctx.session, county_code, posting_id), "errors": errors}
    context["can_write"] = ctx.principal.can(HANDOVER_WRITE)
    context["end_reasons"] = END_REASON
    return render(ctx.request, "terms/handover.html", context, status=status)


@router.get("/selection/terms/handovers/{county_code}/{posting_id}")
def handover_page(county_code: str, posting_id: RowId, ctx: Ctx = permit(TERM_READ)) -> Response:
    return _handover_page(ctx, county_code, posting_id, {})


@router.post("/selection/terms/handovers/{county_code}/{posting_id}/items/{item}")
def tick(county_code: str, posting_id: RowId, item: str, ctx: Ctx = permit(HANDOVER_WRITE)) -> Response:
    posting, cadre = views.posting(ctx.session, county_code, posting_id)
    errors = attempt(
        ctx.session,
        lambda: service.tick(
            ctx.session, actor=ctx.principal, posting=posting, cadre=cadre, item=item, note=None, on=date.today()
        ),
        "item",
    )
    if not errors:
        return redirect(f"/selection/terms/handovers/{county_code}/{posting_id}", ctx.request)
    return _handover_page(ctx, county_code, posting_id, errors, 422)


@router.post("/selection/terms/handovers/{county_code}/{handover_id}/close")
def close(county_code: str, handover_id: RowId, ctx: Ctx = permit(HANDOVER_WRITE)) -> Response:
    posting, _cadre = views.posting(ctx.session, county_code, handover_id)
    errors = attempt(
        ctx.session,
        lambda: service.close_handover(ctx.session, actor=ctx.principal, posting=posting, on=date.today()),
        "items",
    )
    if not errors:
        return redirect(f"/selection/terms/handovers/{county_code}/{handover_id}", ctx.request)
    return _handover_page(ctx, county_code, handover_id, errors, 422)


def _recalls_context(ctx: Ctx, status: str | None, errors: dict[str, str]) -> dict[str, Any]:
    county = views.default_county(ctx)
    return {
        "county": county,
        "status": status,
        "cases": recall.recalls(ctx.session, county, status) if county else [],
        "postings": queries.open_terms(ctx.session, county) if county else [],
        "can_propose": ctx.principal.can(RECALL_PROPOSE),
        "errors": errors,
    }


@router.get("/selection/recalls")
def recalls_page(ctx: Ctx = permit(TERM_READ), status: str | None = None) -> Response:
    return render(ctx.request, "terms/recalls.html", _recalls_context(ctx, status, {}))


@router.post("/selection/recalls")
async def propose(ctx: Ctx = permit(RECALL_PROPOSE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_propose, ctx, form)


def _propose(ctx: Ctx, form: dict[str, str]) -> Response:
    county_code, _sep, posting_id = form.get("posting", "").partition("/")
    if not (county_code.isdigit() and posting_id.isdigit()):
        errors = {"posting": str(_l("Choose the posting to recall."))}
        return render(ctx.request, "terms/recalls.html", _recalls_context(ctx, None, errors), status=422)
    # Reached through the scope before anything is checked: another area's posting is a 404.
    posting, cadre = views.posting(ctx.session, county_code, int(posting_id))
    made: list[Any] = []

    def act() -> None:
        data = RecallIn.model_validate(
            {"county_code": county_code, "posting_id": posting_id, "reasons": form.get("reasons", "")}
        )
        made.append(
            recall.propose(
                ctx.session, actor=ctx.principal, posting=posting, cadre=cadre, reasons=data.reasons, on=date.today()
            )
        )

    errors = attempt(ctx.session, act, "reasons")
    if not errors:
        return redirect(f"/selection/recalls/{made[0].county_code}/{made[0].id}", ctx.request)
    return render(ctx.request, "terms/recalls.html", _recalls_context(ctx, None, errors), status=422)


def _recall_page(ctx: Ctx, county_code: str, case_id: int, errors: dict[str, str], status: int = 200) -> Response:
    case = views.recall_case(ctx.session, county_code, case_id)
    context = {
        "case": case,
        "out": views.recall_out(ctx, case),
        "can_act": ctx.principal.can(RECALL_ACT),
        "can_propose": ctx.principal.can(RECALL_PROPOSE),
        "today": date.today(),
        "errors": errors,
    }
    return render(ctx.request, "terms/recall.html", context, status=status)


@router.get("/selection/recalls/{county_code}/{recall_id}")
def recall_page(county_code: str, recall_id: RowId, ctx: Ctx = permit(TERM_READ)) -> Response:
    return _recall_page(ctx, county_code, recall_id, {})


@router.post("/selection/recalls/{county_code}/{recall_id}/actions")
async def act(county_code: str, recall_id: RowId, ctx: Ctx = permit(RECALL_ACT)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_act, ctx, county_code, recall_id, form)


def _act(ctx: Ctx, county_code: str, case_id: int, form: dict[str, str]) -> Response:
    case = views.recall_case(ctx.session, county_code, case_id)

    def run() -> None:
        data = RecallActIn.model_validate({k: form[k] for k in ("action", "reason") if form.get(k)})
        recall.act(ctx.session, actor=ctx.principal, case=case, action=Action(data.action, date.today(), data.reason))

    errors = attempt(ctx.session, run, "action")
    if not errors:
        return redirect(f"/selection/recalls/{county_code}/{case_id}", ctx.request)
    return _recall_page(ctx, county_code, case_id, errors, 422)


@router.post("/selection/recalls/{county_code}/{recalled_id}/replacement")
async def replace(county_code: str, recalled_id: RowId, ctx: Ctx = permit(RECALL_PROPOSE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_replace, ctx, county_code, recalled_id, form)


def _replace(ctx: Ctx, county_code: str, case_id: int, form: dict[str, str]) -> Response:
    case = views.recall_case(ctx.session, county_code, case_id)

    def run() -> None:
        data = ReplaceIn.model_validate({k: form[k] for k in ("start_date", "reason") if form.get(k)})
        recall.approve_replacement(
            ctx.session, actor=ctx.principal, case=case, start=data.start_date, reason=data.reason
        )

    errors = attempt(ctx.session, run, "start_date")
    if not errors:
        return redirect(f"/selection/recalls/{county_code}/{case_id}", ctx.request)
    return _recall_page(ctx, county_code, case_id, errors, 422)


LIST_COLUMNS = [
    Column(_l("Term"), lambda r: r["term"]),
    Column(_l("List"), lambda r: LIST_KIND.label(r["kind"])),
    Column(_l("Full name"), lambda r: r["name"]),
    Column(_l("Reason"), lambda r: r["reason"]),
    Column(_l("Source"), lambda r: LIST_SOURCE.label(r["source"])),
]


def _lists_context(ctx: Ctx, term: int | None, kind: str | None, errors: dict[str, str]) -> dict[str, Any]:
    county = views.default_county(ctx)
    kind = kind if kind in LIST_KIND.items else None
    return {
        "county": county,
        "term": term,
        "kind": kind,
        "rows": views.list_rows(ctx, term, kind),
        "kinds": LIST_KIND,
        "sources": LIST_SOURCE,
        "cadres": queries.cadres_of(ctx.session, county) if county and ctx.principal.can(LIST_WRITE) else [],
        "can_write": ctx.principal.can(LIST_WRITE),
        "errors": errors,
    }


@router.get("/selection/terms/lists")
def lists_page(
    ctx: Ctx = permit(TERM_READ),
    term: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    kind: str | None = None,
) -> Response:
    return render(ctx.request, "terms/lists.html", _lists_context(ctx, term, kind, {}))


@router.get("/selection/terms/lists/export.xlsx")
def lists_export(
    ctx: Ctx = permit(TERM_READ),
    term: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    kind: str | None = None,
) -> Response:
    """The lists the page shows (the same term and kind), as .xlsx."""
    rows = views.list_rows(ctx, term, kind)
    return response("xlsx", f"cadre-lists-{term or 'all'}", LIST_COLUMNS, rows)


@router.post("/selection/terms/lists/{county_code}")
async def add_to_list(county_code: str, ctx: Ctx = permit(LIST_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_add, ctx, county_code, form)


def _add(ctx: Ctx, county_code: str, form: dict[str, str]) -> Response:
    views.county_in_scope(ctx.session, county_code)
    raw = form.get("cadre_id", "")
    # The cadre is reached through the scope first: another area's cadre is a 404, like a missing one.
    cadre = views.cadre(ctx.session, county_code, int(raw)) if raw.isdigit() and len(raw) < 19 else None

    def run() -> None:
        data = ListIn.model_validate({k: form[k] for k in ("term", "kind", "cadre_id", "reason") if form.get(k)})
        assert cadre is not None
        service.put_on_list(
            ctx.session, actor=ctx.principal, cadre=cadre, term=data.term, kind=data.kind, reason=data.reason
        )

    errors = attempt(ctx.session, run, "reason")
    if not errors:
        return redirect(f"/selection/terms/lists?term={form.get('term', '')}", ctx.request)
    return render(ctx.request, "terms/lists.html", _lists_context(ctx, None, None, errors), status=422)
