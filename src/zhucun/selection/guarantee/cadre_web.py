"""A cadre's guarantee page: their work funds, accident insurance and health checks, with
the forms the organisation department records them by. A health check's result is shown
only to whoever holds ``incentive:health:reveal`` (the cadre's managers)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from sqlalchemy import select

from zhucun.core.deps import Ctx, permit
from zhucun.core.forms import attempt, clean
from zhucun.core.pagination import int_id
from zhucun.core.web import redirect, render
from zhucun.selection.permissions import GUARANTEE_READ, GUARANTEE_WRITE, HEALTH_REVEAL

from . import queries, service
from .models import InsurancePolicy, WorkFund
from .schemas import FundIn, HealthForm, PolicyIn

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, int_id(2**63 - 1)]
CountyCode = Annotated[str, Path(pattern=r"^\d{6}$")]


def _context(ctx: Ctx, county_code: str, cadre_id: int, errors: dict[str, str], form: dict[str, str]) -> dict[str, Any]:
    cadre = queries.access_cadre(ctx.session, county_code, cadre_id)
    funds = ctx.session.scalars(
        select(WorkFund)
        .where(WorkFund.county_code == county_code, WorkFund.cadre_id == cadre.id)
        .order_by(WorkFund.year.desc(), WorkFund.kind)
    )
    policies = ctx.session.scalars(
        select(InsurancePolicy)
        .where(InsurancePolicy.county_code == county_code, InsurancePolicy.cadre_id == cadre.id)
        .order_by(InsurancePolicy.ends_on.desc())
    )
    return {
        "cadre": cadre,
        "funds": list(funds),
        "policies": list(policies),
        "checks": queries.health_checks_of(ctx.session, cadre),
        "reveal": ctx.principal.can(HEALTH_REVEAL),
        "can_write": ctx.principal.can(GUARANTEE_WRITE),
        "errors": errors,
        "form": form,
        "year": date.today().year,
        "today": date.today(),
    }


def _page(county_code: str, cadre_id: int) -> str:
    return f"/selection/guarantee/cadres/{county_code}/{cadre_id}"


@router.get("/selection/guarantee/cadres/{county_code}/{cadre_id}")
def cadre_page(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(GUARANTEE_READ)) -> Response:
    return render(ctx.request, "guarantee/cadre.html", _context(ctx, county_code, cadre_id, {}, {}))


async def _submit(ctx: Ctx, county_code: str, cadre_id: int, act: Callable[[Any, dict[str, Any]], object]) -> Response:
    """Run a form's use case; a refusal shows the page again with the form and its errors."""
    form = {k: str(v) for k, v in (await ctx.request.form()).items()}
    cadre = queries.access_cadre(ctx.session, county_code, cadre_id)
    errors = attempt(ctx.session, lambda: act(cadre, clean(form, booleans=("done",))))
    if not errors:
        return redirect(_page(county_code, cadre_id), ctx.request)
    return render(ctx.request, "guarantee/cadre.html", _context(ctx, county_code, cadre_id, errors, form), status=422)


@router.post("/selection/guarantee/cadres/{county_code}/{secretary_id}/funds")
async def open_fund(county_code: CountyCode, secretary_id: RowId, ctx: Ctx = permit(GUARANTEE_WRITE)) -> Response:
    def act(cadre: Any, values: dict[str, Any]) -> object:
        data = FundIn.model_validate(values)
        return service.open_fund(ctx.session, actor=ctx.principal, cadre=cadre, data=data)

    return await _submit(ctx, county_code, secretary_id, act)


@router.post("/selection/guarantee/cadres/{county_code}/{cadre_id}/policies")
async def record_policy(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(GUARANTEE_WRITE)) -> Response:
    def act(cadre: Any, values: dict[str, Any]) -> object:
        data = PolicyIn.model_validate(values)
        return service.record_policy(ctx.session, actor=ctx.principal, cadre=cadre, data=data)

    return await _submit(ctx, county_code, cadre_id, act)


@router.post("/selection/guarantee/cadres/{county_code}/{cadre_id}/health")
async def record_health(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(GUARANTEE_WRITE)) -> Response:
    def act(cadre: Any, values: dict[str, Any]) -> object:
        data = HealthForm.model_validate(values)
        return service.record_health_check(ctx.session, actor=ctx.principal, cadre=cadre, year=data.year, data=data)

    return await _submit(ctx, county_code, cadre_id, act)
