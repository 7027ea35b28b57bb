"""Guarantee API: monthly statements, work funds and their spending, accident insurance and
health checks. A cadre's rows are addressed by (county, id); a unit's account reaches its
own cadres only (the scope), and a health check's result only with ``incentive:health:reveal``."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import NotFound
from zhucun.core.pagination import int_id
from zhucun.selection.permissions import GUARANTEE_READ, GUARANTEE_WRITE, HEALTH_REVEAL

from . import queries, service
from .models import HealthCheck, WorkFund
from .schemas import (
    FundDetail,
    FundIn,
    FundOut,
    HealthIn,
    HealthOut,
    PolicyIn,
    PolicyOut,
    SpendingIn,
    SpendingOut,
    StatementOut,
)

router = APIRouter(prefix="/api/v1/guarantee", tags=["guarantee"])
RowId = Annotated[int, int_id(2**63 - 1)]
CountyCode = Annotated[str, Path(pattern=r"^\d{6}$")]
CountyQuery = Annotated[str | None, Query(pattern=r"^\d{6}(\d{6})?$")]
MonthQuery = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Year = Annotated[int, Path(ge=2000, le=2100)]


def _county(ctx: Ctx, asked: str | None) -> str:
    county = queries.default_county(ctx.session, ctx.principal, asked)
    if county is None:
        raise NotFound()
    return county


def _fund_out(fund: WorkFund) -> FundOut:
    names = ("county_code", "id", "kind", "year", "cadre_id", "village_code", "amount", "spent")
    return FundOut.model_validate({**{n: getattr(fund, n) for n in names}, "balance": fund.amount - fund.spent})


@router.get("/statements", response_model=StatementOut)
def statement(
    ctx: Ctx = permit(GUARANTEE_READ),
    county: CountyQuery = None,
    month: MonthQuery = None,
    unit_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> StatementOut:
    """The month's allowances per cadre of the county (by default the last whole month)."""
    found = queries.statement(ctx.session, _county(ctx, county), queries.parse_month(month), unit_id=unit_id)
    return StatementOut.model_validate(found)


@router.get("/funds", response_model=list[FundOut])
def funds(
    ctx: Ctx = permit(GUARANTEE_READ),
    county: CountyQuery = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> list[FundOut]:
    """The county's work funds of a year (by default this year), with their balances."""
    found = queries.funds(ctx.session, _county(ctx, county), year or date.today().year)
    return [_fund_out(f) for f in found]


@router.post("/cadres/{county_code}/{secretary_id}/funds", response_model=FundOut, status_code=201)
def open_fund(
    county_code: CountyCode, secretary_id: RowId, body: FundIn, ctx: Ctx = permit(GUARANTEE_WRITE)
) -> FundOut:
    """Open a year's work fund held by a first secretary in post (their own or their team's)."""
    cadre = queries.access_cadre(ctx.session, county_code, secretary_id)
    return _fund_out(service.open_fund(ctx.session, actor=ctx.principal, cadre=cadre, data=body))


@router.get("/funds/{county_code}/{fund_id}", response_model=FundDetail)
def fund(county_code: CountyCode, fund_id: RowId, ctx: Ctx = permit(GUARANTEE_READ)) -> FundDetail:
    found, _cadre = queries.access_fund(ctx.session, county_code, fund_id)
    spendings = [SpendingOut.model_validate(s) for s in queries.spendings(ctx.session, found)]
    return FundDetail.model_validate({**_fund_out(found).model_dump(), "spendings": spendings})


@router.post("/funds/{county_code}/{fund_id}/spendings", response_model=SpendingOut, status_code=201)
def spend(county_code: CountyCode, fund_id: RowId, body: SpendingIn, ctx: Ctx = permit(GUARANTEE_WRITE)) -> SpendingOut:
    """Record a spending; more than the balance is refused with both amounts named."""
    found, cadre = queries.access_fund(ctx.session, county_code, fund_id)
    spending = service.spend(ctx.session, actor=ctx.principal, fund=found, cadre=cadre, data=body)
    return SpendingOut.model_validate(spending)


@router.post("/cadres/{county_code}/{cadre_id}/policies", response_model=PolicyOut, status_code=201)
def record_policy(
    county_code: CountyCode, cadre_id: RowId, body: PolicyIn, ctx: Ctx = permit(GUARANTEE_WRITE)
) -> PolicyOut:
    cadre = queries.access_cadre(ctx.session, county_code, cadre_id)
    return PolicyOut.model_validate(service.record_policy(ctx.session, actor=ctx.principal, cadre=cadre, data=body))


@router.get("/policies/expiring", response_model=list[PolicyOut])
def expiring(
    ctx: Ctx = permit(GUARANTEE_READ),
    county: CountyQuery = None,
    days: Annotated[int | None, Query(ge=0, le=366)] = None,
) -> list[PolicyOut]:
    """Policies ending within the warning days (by default the province's, 30) not yet renewed."""
    today = date.today()
    found = queries.expiring(ctx.session, _county(ctx, county), today, days)
    return [PolicyOut.model_validate(p).model_copy(update={"days_left": (p.ends_on - today).days}) for p in found]


def _health_out(ctx: Ctx, check: HealthCheck) -> HealthOut:
    result = check.result if ctx.principal.can(HEALTH_REVEAL) else None
    return HealthOut(
        cadre_id=check.cadre_id, year=check.year, done=check.done, checked_on=check.checked_on, result=result
    )


@router.put("/cadres/{county_code}/{cadre_id}/health/{year}", response_model=HealthOut)
def record_health(
    county_code: CountyCode, cadre_id: RowId, year: Year, body: HealthIn, ctx: Ctx = permit(GUARANTEE_WRITE)
) -> HealthOut:
    """Record or correct the cadre's health check of a year."""
    cadre = queries.access_cadre(ctx.session, county_code, cadre_id)
    check = service.record_health_check(ctx.session, actor=ctx.principal, cadre=cadre, year=year, data=body)
    return _health_out(ctx, check)


@router.get("/cadres/{county_code}/{cadre_id}/health", response_model=list[HealthOut])
def health(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(GUARANTEE_READ)) -> list[HealthOut]:
    """The cadre's health checks, the latest year first; results only for their managers."""
    cadre = queries.access_cadre(ctx.session, county_code, cadre_id)
    return [_health_out(ctx, c) for c in queries.health_checks_of(ctx.session, cadre)]
