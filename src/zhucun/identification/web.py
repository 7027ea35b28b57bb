"""Case pages for the people who run the procedures (often on a phone): the list with its
filters in the URL, its total and an export of what it shows; one case with its steps,
signatures, notice, objections, the actions the reader may take and its history; opening
a case from a household."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ..core import export
from ..core.addressing import CountyCode, moved, page, url_of
from ..core.deps import Ctx, permit
from ..core.errors import DomainError
from ..core.pagination import int_id
from ..core.scope import access_by
from ..core.web import field_errors, form_values, redirect, render
from ..procedures import service as procedures
from ..procedures.models import Case
from ..registry.models import Household
from . import labels, pages, queries, service
from .permissions import CASE_ACT, CASE_READ, CASE_WRITE
from .schemas import ActionIn, CaseIn

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, int_id(2**63 - 1)]
Code = Annotated[str | None, Query(pattern=r"^\d{0,12}$")]
StepKey = Annotated[str | None, Query(pattern=r"^[a-z0-9_]{0,30}$")]
Kind = Literal["registration", "monitoring", "exit", ""]
Late = Literal["orange", "red", ""]
Status = Literal["open", "approved", "refused", "all"]
# The level a monitoring sweep escalated a case to (monitoring/rules.py::escalation).
Escalated = Literal["township", "county", ""]
EXPORT_LIMIT = 20000


def _filters(
    village: str | None,
    step: str | None,
    kind: str | None,
    late: str | None,
    status: str,
    notice: str | None = None,
    objected: str | None = None,
    escalated: str | None = None,
) -> dict[str, Any]:
    return {
        "village": village or None,
        "step": step or None,
        "kind": kind or None,
        "late": late or None,
        "status": None if status == "all" else status,
        "notice": notice or None,
        "objected": objected == "1",
        "escalated": escalated or None,
    }


@router.get("/identification/cases")
def case_list(
    ctx: Ctx = permit(CASE_READ),
    village: Code = None,
    step: StepKey = None,
    kind: Kind | None = None,
    late: Late | None = None,
    status: Status = "open",
    notice: Literal["ending", ""] | None = None,
    objected: Literal["1", ""] | None = None,
    escalated: Escalated | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    filters = _filters(village, step, kind, late, status, notice, objected, escalated)
    page = queries.cases(ctx.session, today=date.today(), cursor=cursor, limit=30, **filters)
    context = {
        "page": page,
        "filters": {**filters, "status": status},
        "villages": pages.villages(ctx.session),
        "steps": pages.step_choices(ctx.session),
        "labels": labels,
    }
    return render(ctx.request, "identification/cases.html", context)


@router.get("/identification/cases/export.xlsx")
def case_export(
    ctx: Ctx = permit(CASE_READ),
    village: Code = None,
    step: StepKey = None,
    kind: Kind | None = None,
    late: Late | None = None,
    status: Status = "open",
    notice: Literal["ending", ""] | None = None,
    objected: Literal["1", ""] | None = None,
    escalated: Escalated | None = None,
) -> Response:
    """Exactly the filtered list, every page of it (no ID numbers are in a case list)."""
    filters = _filters(village, step, kind, late, status, notice, objected, escalated)
    page = queries.cases(ctx.session, today=date.today(), limit=EXPORT_LIMIT, **filters)
    return export.response("xlsx", "cases", pages.EXPORT_COLUMNS, page.items)


@router.get("/identification/households/{county_code}/{household_id}/new-case")
def new_case(county_code: CountyCode, household_id: RowId, ctx: Ctx = permit(CASE_WRITE)) -> Response:
    household = access_by(ctx.session, Household, county_code=county_code, id=household_id)
    return render(ctx.request, "identification/case_new.html", _new_context(household, {}, {}))


def _new_context(household: Household, form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {"household": household, "form": form, "errors": errors, "labels": labels}


@router.post("/identification/cases/new")
async def create_case(ctx: Ctx = permit(CASE_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_create_case, ctx, form)


def _create_case(ctx: Ctx, form: dict[str, str]) -> Response:
    fields = ("kind", "household_id", "category", "grounds")
    values = {k: v.strip() for k, v in form.items() if k in fields and v.strip()}
    try:
        case = service.open_case(
            ctx.session,
            actor=ctx.principal,
            data=CaseIn(**values),
            on=date.today(),
            official_years=ctx.settings.kin_official_years,
        )
    except (ValidationError, DomainError) as exc:
        errors = field_errors(exc) if isinstance(exc, ValidationError) else {exc.field or "": exc.message}
        household = access_by(ctx.session, Household, id=int(values.get("household_id", "0") or 0))
        status = exc.status if isinstance(exc, DomainError) else 422
        context = _new_context(household, form, errors)
        return render(ctx.request, "identification/case_new.html", context, status=status)
    return redirect(url_of(case), ctx.request)


@router.get("/identification/cases/{county_code}/{case_id}")
def case_page(county_code: CountyCode, case_id: RowId, ctx: Ctx = permit(CASE_READ)) -> Response:
    case = procedures.access_case(ctx.session, county_code, case_id)
    return render(ctx.request, "identification/case.html", pages.case_context(ctx, case, {}))


@router.post("/identification/cases/{county_code}/{case_id}/actions")
async def case_action(county_code: CountyCode, case_id: RowId, ctx: Ctx = permit(CASE_ACT)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_act, ctx, county_code, case_id, form)


def _act(ctx: Ctx, county_code: str, case_id: int, form: dict[str, str]) -> Response:
    case = procedures.access_case(ctx.session, county_code, case_id)
    try:
        data = ActionIn(**pages.action_values(form))
        service.act(ctx.session, actor=ctx.principal, case=case, data=data, on=date.today())
    except (ValidationError, DomainError) as exc:
        errors = field_errors(exc) if isinstance(exc, ValidationError) else {exc.field or "action": exc.message}
        status = exc.status if isinstance(exc, DomainError) else 422
        case = procedures.access_case(ctx.session, county_code, case_id)
        context = pages.case_context(ctx, case, errors, form=form)
        return render(ctx.request, "identification/case.html", context, status=status)
    return redirect(url_of(case), ctx.request)


# The paths of before answer a redirect to these (core.addressing).
page("case", Case, "/identification/cases")
page("case_for", Household, "/identification/households", primary=False)
moved(router, {"household_id": Household, "case_id": Case})
