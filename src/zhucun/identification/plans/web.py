"""Plan pages, usable on a phone by helpers: the plans of an area (filters in the URL, the
total, an .xlsx of what is shown), households in care without a plan, a household's plan
with its causes, measures and progress, and a village's development plan."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from zhucun.core import export
from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import DomainError
from zhucun.core.forms import domain_errors
from zhucun.core.naming import Names
from zhucun.core.pagination import int_id
from zhucun.core.scope import access, access_by
from zhucun.core.web import field_errors, redirect, render
from zhucun.divisions.models import Division
from zhucun.registry import catalogues as cat
from zhucun.registry.models import Household

from ..pages import villages
from ..permissions import PLAN_READ, PLAN_WRITE, PROJECT_WRITE
from . import present, queries, service
from .models import HouseholdPlan, VillageProject
from .schemas import CausesIn, MeasureIn, PlanIn, ProgressIn, ProjectChangeIn, ProjectIn

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, int_id(2**63 - 1)]
County = Annotated[str, Path(pattern=r"^\d{6}$")]
Code = Annotated[str | None, Query(pattern=r"^\d{0,12}$")]
Flag = Annotated[str | None, Query(pattern=r"^[01]?$")]
Text = Annotated[str | None, Query(max_length=50)]


def _filters(ctx: Ctx, division: str | None, overdue: str | None, q: str | None) -> queries.Filters:
    if division:
        access(ctx.session, Division, division)
    else:
        codes = sorted(g.division_code for g in ctx.principal.grants if g.division_code)
        division = codes[0] if codes else None
    return queries.Filters(division or None, overdue=overdue == "1", q=(q or "").strip() or None)


@router.get("/identification/plans")
def plan_list(
    ctx: Ctx = permit(PLAN_READ), division: Code = None, overdue: Flag = None, without: Flag = None, q: Text = None
) -> Response:
    filters = _filters(ctx, division, overdue, q)
    context: dict[str, Any] = {"filters": filters, "villages": villages(ctx.session), "without": without == "1"}
    if without == "1":
        mine = ctx.principal.user_id if present.helper_only(ctx.principal) else None
        context["total"], context["households"] = queries.without_plan(ctx.session, filters.division, mine)
    else:
        context["total"], context["rows"] = queries.plans(ctx.session, filters, date.today())
    return render(ctx.request, "plans/list.html", context)


@router.get("/identification/plans/export.xlsx")
def plan_export(ctx: Ctx = permit(PLAN_READ), division: Code = None, overdue: Flag = None, q: Text = None) -> Response:
    _total, rows = queries.plans(ctx.session, _filters(ctx, division, overdue, q), date.today())
    names = Names(ctx.session)
    for row in rows:
        row["village_name"] = names.division(row["village_code"])
    return export.response("xlsx", "plans", present.EXPORT_COLUMNS, rows)


@router.get("/identification/households/{county_code}/{household_id}/plan")
def household_plan(county_code: County, household_id: RowId, ctx: Ctx = permit(PLAN_READ)) -> Response:
    household = access_by(ctx.session, Household, county_code=county_code, id=household_id)
    plan = queries.plan_of(ctx.session, household)
    if plan is not None:
        return redirect(f"/identification/plans/{plan.county_code}/{plan.id}")
    return render(ctx.request, "plans/new.html", _new_context(ctx, household, {}, {}))


def _new_context(ctx: Ctx, household: Household, form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    return {"household": household, "form": form, "errors": errors, "causes": cat.POVERTY_CAUSE.items}


@router.post("/identification/households/{county_code}/{household_id}/plan")
async def create_plan(county_code: County, household_id: RowId, ctx: Ctx = permit(PLAN_WRITE)) -> Response:
    form = await _form(ctx)
    return await run_in_threadpool(_create_plan, ctx, county_code, household_id, form)


def _create_plan(ctx: Ctx, county_code: str, household_id: int, form: dict[str, Any]) -> Response:
    errors = _attempt(
        ctx,
        lambda: service.create_plan(
            ctx.session,
            actor=ctx.principal,
            county_code=county_code,
            household_id=household_id,
            data=PlanIn(goal=form.get("goal", "")),
        ),
    )
    household = access_by(ctx.session, Household, county_code=county_code, id=household_id)
    if errors:
        context = _new_context(ctx, household, form, errors[1])
        return render(ctx.request, "plans/new.html", context, status=errors[0])
    return redirect(f"/identification/households/{county_code}/{household_id}/plan", ctx.request)


@router.post("/identification/households/{county_code}/{household_id}/causes")
async def set_causes(county_code: County, household_id: RowId, ctx: Ctx = permit(PLAN_WRITE)) -> Response:
    form = await _form(ctx)
    return await run_in_threadpool(_set_causes, ctx, county_code, household_id, form)


def _set_causes(ctx: Ctx, county_code: str, household_id: int, form: dict[str, Any]) -> Response:
    def run() -> None:
        data = CausesIn(
            main_cause=form.get("main_cause") or None,
            other_causes=form.get("other_causes", []),
            reason=form.get("reason") or None,
        )
        service.set_causes(
            ctx.session, actor=ctx.principal, county_code=county_code, household_id=household_id, data=data
        )

    errors = _attempt(ctx, run)
    household = access_by(ctx.session, Household, county_code=county_code, id=household_id)
    plan = queries.plan_of(ctx.session, household)
    if errors and plan is not None:
        return render(ctx.request, "plans/plan.html", _plan_context(ctx, plan, errors[1], form), status=errors[0])
    if errors:
        return render(ctx.request, "plans/new.html", _new_context(ctx, household, form, errors[1]), status=errors[0])
    return redirect(f"/identification/households/{county_code}/{household_id}/plan", ctx.request)


def _plan_context(ctx: Ctx, plan: HouseholdPlan, errors: dict[str, str], form: dict[str, Any]) -> dict[str, Any]:
    household = access_by(ctx.session, Household, county_code=plan.county_code, id=plan.household_id)
    return {
        "plan": queries.plan_detail(ctx.session, plan, household, date.today()),
        "household": household,
        "kinds": queries.kinds(ctx.session),
        "causes": cat.POVERTY_CAUSE.items,
        "errors": errors,
        "form": form,
        "statuses": present.MEASURE_STATUSES,
        "can_write": ctx.principal.can(PLAN_WRITE),
    }


@router.get("/identification/plans/{county_code}/{plan_id}")
def plan_page(county_code: County, plan_id: RowId, ctx: Ctx = permit(PLAN_READ)) -> Response:
    plan = access_by(ctx.session, HouseholdPlan, county_code=county_code, id=plan_id)
    return render(ctx.request, "plans/plan.html", _plan_context(ctx, plan, {}, {}))


@router.post("/identification/plans/{county_code}/{plan_id}/measures")
async def add_measure(county_code: County, plan_id: RowId, ctx: Ctx = permit(PLAN_WRITE)) -> Response:
    form = await _form(ctx)
    return await run_in_threadpool(_plan_action, ctx, county_code, plan_id, form, None)


@router.post("/identification/plans/{county_code}/{plan_id}/measures/{measure_id}/progress")
async def record_progress(
    county_code: County, plan_id: RowId, measure_id: RowId, ctx: Ctx = permit(PLAN_WRITE)
) -> Response:
    form = await _form(ctx)
    return await run_in_threadpool(_plan_action, ctx, county_code, plan_id, form, measure_id)


def _plan_action(ctx: Ctx, county_code: str, plan_id: int, form: dict[str, Any], measure_id: int | None) -> Response:
    plan = access_by(ctx.session, HouseholdPlan, county_code=county_code, id=plan_id)
    today = date.today()

    def run() -> None:
        if measure_id is None:
            data = MeasureIn(**{k: form.get(k) or None for k in ("kind", "target", "amount", "deadline")})
            service.add_measure(
                ctx.session, actor=ctx.principal, county_code=county_code, plan_id=plan.id, data=data, today=today
            )
            return
        progress = ProgressIn(
            percent=form.get("percent") or 0,
            note=form.get("note", ""),
            completed=form.get("completed") in ("1", "on"),
            result=form.get("result") or None,
        )
        service.record_progress(
            ctx.session,
            actor=ctx.principal,
            county_code=county_code,
            plan_id=plan.id,
            measure_id=measure_id,
            data=progress,
            today=today,
        )

    errors = _attempt(ctx, run)
    if errors:
        plan = access_by(ctx.session, HouseholdPlan, county_code=county_code, id=plan_id)
        return render(ctx.request, "plans/plan.html", _plan_context(ctx, plan, errors[1], form), status=errors[0])
    return redirect(f"/identification/plans/{county_code}/{plan_id}", ctx.request)


@router.get("/identification/villages/{code}/development-plan")
def village_plan(
    code: Annotated[str, Path(pattern=r"^\d{12}$")],
    ctx: Ctx = permit(PLAN_READ),
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    village, projects = _village_projects(ctx, code, year)
    return render(ctx.request, "plans/village.html", _village_context(ctx, village, year, projects, {}, {}))


def _village_projects(ctx: Ctx, code: str, year: int | None) -> tuple[Division, list[VillageProject]]:
    """The village (404 outside the reader's area) and its projects of ``year``, as the page
    and its export show them."""
    village = access(ctx.session, Division, code)
    return village, queries.projects(ctx.session, village.code, year)


@router.get("/identification/villages/{code}/development-plan/export.xlsx")
def village_plan_export(
    code: Annotated[str, Path(pattern=r"^\d{12}$")],
    ctx: Ctx = permit(PLAN_READ),
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """The village's projects the page shows (the same year filter), as .xlsx."""
    village, projects = _village_projects(ctx, code, year)
    return export.response("xlsx", f"projects-{village.name}", present.PROJECT_COLUMNS, projects)


def _village_context(
    ctx: Ctx, village: Division, year: int | None, projects: list[Any], errors: dict[str, Any], form: dict[str, Any]
) -> dict[str, Any]:
    return {
        "village": village,
        "year": year,
        "projects": projects,
        "budget": sum((p.budget for p in projects if p.status != "dropped"), start=0),
        "errors": errors,
        "form": form,
        "categories": present.CATEGORIES,
        "statuses": present.PROJECT_STATUSES,
        "can_write": ctx.principal.can(PROJECT_WRITE),
        "this_year": date.today().year,
    }


@router.post("/identification/villages/{code}/projects")
async def add_project(code: Annotated[str, Path(pattern=r"^\d{12}$")], ctx: Ctx = permit(PROJECT_WRITE)) -> Response:
    form = await _form(ctx)
    return await run_in_threadpool(_project_action, ctx, form, code, None, None)


@router.post("/identification/village-projects/{county_code}/{project_id}")
async def change_project(county_code: County, project_id: RowId, ctx: Ctx = permit(PROJECT_WRITE)) -> Response:
    form = await _form(ctx)
    return await run_in_threadpool(_project_action, ctx, form, None, county_code, project_id)


def _project_action(
    ctx: Ctx, form: dict[str, Any], code: str | None, county_code: str | None, project_id: int | None
) -> Response:
    if project_id is not None:
        code = access_by(ctx.session, VillageProject, county_code=county_code, id=project_id).village_code
    village = access(ctx.session, Division, code)

    def run() -> None:
        if project_id is None:
            data = ProjectIn(**{k: form.get(k) or None for k in ("year", "category", "name", "budget", "note")})
            service.add_project(ctx.session, actor=ctx.principal, village_code=village.code, data=data)
            return
        change = ProjectChangeIn(**{k: form.get(k) or None for k in ("status", "budget", "reason")})
        service.change_project(
            ctx.session, actor=ctx.principal, county_code=county_code or "", project_id=project_id, data=change
        )

    errors = _attempt(ctx, run)
    if errors:
        projects = queries.projects(ctx.session, village.code, None)
        context = _village_context(ctx, village, None, projects, errors[1], form)
        return render(ctx.request, "plans/village.html", context, status=errors[0])
    return redirect(f"/identification/villages/{village.code}/development-plan", ctx.request)


async def _form(ctx: Ctx) -> dict[str, Any]:
    """The form's fields; ``other_causes`` (check boxes) as a list."""
    form = await ctx.request.form()
    values: dict[str, Any] = {k: v.strip() for k, v in form.items() if isinstance(v, str)}
    values["other_causes"] = [v for v in form.getlist("other_causes") if isinstance(v, str) and v]
    return values


def _attempt(ctx: Ctx, action: Any) -> tuple[int, dict[str, str]] | None:
    """Run a form's use case: None when it succeeded, else the status and the errors by field."""
    try:
        action()
    except ValidationError as exc:
        return 422, field_errors(exc)
    except DomainError as exc:
        return exc.status, domain_errors(exc, "form")
    return None
