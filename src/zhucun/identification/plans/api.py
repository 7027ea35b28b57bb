"""Plans API: a household's causes and plan (一户一策), the plan's measures and progress,
the plans of an area, and a village's development plan. One row of a county-keyed table
is addressed by (county_code, id)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from zhucun.core.deps import Ctx, permit
from zhucun.core.pagination import int_id
from zhucun.core.scope import access, access_by
from zhucun.divisions.models import Division
from zhucun.registry.models import Household

from ..permissions import PLAN_READ, PLAN_WRITE, PROJECT_WRITE
from . import queries, service
from .models import HouseholdPlan
from .schemas import (
    CausesIn,
    MeasureIn,
    MeasureOut,
    PlanIn,
    PlanOut,
    PlanPage,
    ProgressIn,
    ProjectChangeIn,
    ProjectIn,
    ProjectOut,
    VillagePlanOut,
)

router = APIRouter(prefix="/api/v1", tags=["identification"])
RowId = Annotated[int, int_id(2**63 - 1)]
Division12 = Annotated[str | None, Query(pattern=r"^\d{12}$")]
County = Annotated[str, Path(pattern=r"^\d{6}$")]


def _detail(ctx: Ctx, plan: HouseholdPlan) -> PlanOut:
    household = access_by(ctx.session, Household, county_code=plan.county_code, id=plan.household_id)
    return PlanOut.model_validate(queries.plan_detail(ctx.session, plan, household, date.today()))


def _area(ctx: Ctx, division: str | None) -> str | None:
    """The division asked for (404 outside the reader's area), else the reader's own area;
    None for a reader of the whole country (the session's scope still applies)."""
    if division is None:
        codes = sorted(g.division_code for g in ctx.principal.grants if g.division_code)
        division = codes[0] if codes else None
    return access(ctx.session, Division, division).code if division else None


@router.get("/plans", response_model=PlanPage)
def list_plans(ctx: Ctx = permit(PLAN_READ), division: Division12 = None, overdue: bool = False) -> PlanPage:
    """The household plans of a division (by default the reader's area), with their counts of
    measures, done and overdue; ``overdue=true`` keeps the plans with a measure overdue."""
    total, rows = queries.plans(ctx.session, queries.Filters(_area(ctx, division), overdue=overdue), date.today())
    return PlanPage.model_validate({"total": total, "items": rows})


@router.put("/households/{county_code}/{household_id}/causes")
def set_causes(
    county_code: County, household_id: RowId, body: CausesIn, ctx: Ctx = permit(PLAN_WRITE)
) -> dict[str, Any]:
    """Set the household's main cause of poverty and its other causes."""
    household = service.set_causes(
        ctx.session, actor=ctx.principal, county_code=county_code, household_id=household_id, data=body
    )
    return {
        "main_cause": household.main_cause,
        "other_causes": [c for c in (household.other_causes or "").split(",") if c],
    }


@router.post("/households/{county_code}/{household_id}/plan", response_model=PlanOut, status_code=201)
def create_plan(county_code: County, household_id: RowId, body: PlanIn, ctx: Ctx = permit(PLAN_WRITE)) -> PlanOut:
    """Draw up the household's plan (one per household)."""
    plan = service.create_plan(
        ctx.session, actor=ctx.principal, county_code=county_code, household_id=household_id, data=body
    )
    return _detail(ctx, plan)


@router.get("/plans/{county_code}/{plan_id}", response_model=PlanOut)
def get_plan(county_code: County, plan_id: RowId, ctx: Ctx = permit(PLAN_READ)) -> PlanOut:
    """One plan: household, causes, helper, measures with progress, causes left unanswered."""
    return _detail(ctx, access_by(ctx.session, HouseholdPlan, county_code=county_code, id=plan_id))


@router.post("/plans/{county_code}/{plan_id}/measures", response_model=PlanOut, status_code=201)
def add_measure(county_code: County, plan_id: RowId, body: MeasureIn, ctx: Ctx = permit(PLAN_WRITE)) -> PlanOut:
    """Add a measure from the catalogue with its target and deadline."""
    service.add_measure(
        ctx.session, actor=ctx.principal, county_code=county_code, plan_id=plan_id, data=body, today=date.today()
    )
    return _detail(ctx, access_by(ctx.session, HouseholdPlan, county_code=county_code, id=plan_id))


@router.post("/plans/{county_code}/{plan_id}/measures/{measure_id}/progress", response_model=MeasureOut)
def record_progress(
    county_code: County, plan_id: RowId, measure_id: RowId, body: ProgressIn, ctx: Ctx = permit(PLAN_WRITE)
) -> MeasureOut:
    """Record progress on a measure; ``completed`` with its ``result`` closes it."""
    service.record_progress(
        ctx.session,
        actor=ctx.principal,
        county_code=county_code,
        plan_id=plan_id,
        measure_id=measure_id,
        data=body,
        today=date.today(),
    )
    detail = _detail(ctx, access_by(ctx.session, HouseholdPlan, county_code=county_code, id=plan_id))
    return next(m for m in detail.measures if m.id == measure_id)


@router.get("/villages/{code}/development-plan", response_model=VillagePlanOut)
def village_plan(
    code: str, ctx: Ctx = permit(PLAN_READ), year: Annotated[int | None, Query(ge=2000, le=2100)] = None
) -> VillagePlanOut:
    """The village's development plan: its projects (of a year, or all) and their budget."""
    village = access(ctx.session, Division, code)
    projects = queries.projects(ctx.session, village.code, year)
    return VillagePlanOut(
        village_code=village.code,
        year=year,
        budget=sum((p.budget for p in projects if p.status != "dropped"), start=0),
        projects=[ProjectOut.model_validate(p, from_attributes=True) for p in projects],
    )


@router.post("/villages/{code}/projects", response_model=ProjectOut, status_code=201)
def add_project(code: str, body: ProjectIn, ctx: Ctx = permit(PROJECT_WRITE)) -> ProjectOut:
    """Add a project (infrastructure, industry, culture) to the village's development plan."""
    project = service.add_project(ctx.session, actor=ctx.principal, village_code=code, data=body)
    return ProjectOut.model_validate(project, from_attributes=True)


@router.patch("/village-projects/{county_code}/{project_id}", response_model=ProjectOut)
def change_project(
    county_code: County, project_id: RowId, body: ProjectChangeIn, ctx: Ctx = permit(PROJECT_WRITE)
) -> ProjectOut:
    """Change a project's status or budget, saying why."""
    project = service.change_project(
        ctx.session, actor=ctx.principal, county_code=county_code, project_id=project_id, data=body
    )
    return ProjectOut.model_validate(project, from_attributes=True)
