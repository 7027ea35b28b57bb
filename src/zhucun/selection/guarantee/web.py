"""Guarantee pages: the monthly statements (per county, filtered by unit, totals, .xlsx of
what is shown, and each cadre's and unit's own), the work funds with their spending, the
insurance policies near their end and the health checks due."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy import select

from zhucun.accounts.units.models import Unit
from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import NotFound
from zhucun.core.forms import attempt, clean
from zhucun.core.naming import Names
from zhucun.core.pagination import int_id
from zhucun.core.scope import access
from zhucun.core.web import redirect, render
from zhucun.divisions.models import Division
from zhucun.selection.permissions import GUARANTEE_READ, GUARANTEE_WRITE

from . import queries, service, statements
from .schemas import SpendingIn
from .settings import rules_for

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, int_id(2**63 - 1)]
UnitId = Annotated[int, int_id()]
CountyCode = Annotated[str, Path(pattern=r"^\d{6}$")]
CountyQuery = Annotated[str | None, Query(pattern=r"^\d{6}(\d{6})?$")]
MonthQuery = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]


def _county(ctx: Ctx, asked: str | None) -> str:
    county = queries.default_county(ctx.session, ctx.principal, asked)
    if county is None:
        raise NotFound()
    return county


def _counties(ctx: Ctx) -> list[Any]:
    return list(ctx.session.scalars(select(Division).where(Division.level == "county").order_by(Division.code)))


@router.get("/selection/guarantee")
def statements_page(
    ctx: Ctx = permit(GUARANTEE_READ),
    county: CountyQuery = None,
    month: MonthQuery = None,
    unit_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """Allowances per cadre for a month, with the total."""
    code, found = _statement(ctx, county, month, unit_id)
    units = sorted({r["unit_id"] for r in found["rows"] if r["unit_id"]})
    context = {
        "county": code,
        "month": found["month"],
        "unit_id": unit_id,
        "statement": found,
        "rows": queries.with_names(ctx.session, found["rows"]),
        "units": units,
        "counties": _counties(ctx),
    }
    return render(ctx.request, "guarantee/statements.html", context)


@router.get("/selection/guarantee/export.xlsx")
def statements_export(
    ctx: Ctx = permit(GUARANTEE_READ),
    county: CountyQuery = None,
    month: MonthQuery = None,
    unit_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """The statement the page shows (the same county, month and unit), as .xlsx."""
    code, found = _statement(ctx, county, month, unit_id)
    who = Names(ctx.session).unit(unit_id) if unit_id is not None else None
    return statements.download(ctx.session, found, f"statement-{code}", who)


def _statement(ctx: Ctx, county: str | None, month: str | None, unit_id: int | None) -> tuple[str, dict[str, Any]]:
    code, first = _county(ctx, county), queries.parse_month(month)
    if unit_id is not None:
        access(ctx.session, Unit, unit_id)
    return code, queries.statement(ctx.session, code, first, unit_id=unit_id)


@router.get("/selection/guarantee/units/{unit_id}/statement")
def unit_statement(
    unit_id: UnitId, ctx: Ctx = permit(GUARANTEE_READ), county: CountyQuery = None, month: MonthQuery = None
) -> Response:
    """A dispatching unit's statement for a month as .xlsx."""
    unit = access(ctx.session, Unit, unit_id)
    code = _county(ctx, county)
    found = queries.statement(ctx.session, code, queries.parse_month(month), unit_id=unit_id)
    return statements.download(ctx.session, found, f"statement-unit-{unit_id}", unit.name)


@router.get("/selection/guarantee/cadres/{county_code}/{cadre_id}/statement")
def cadre_statement(
    county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(GUARANTEE_READ), month: MonthQuery = None
) -> Response:
    """A cadre's statement for a month as .xlsx."""
    cadre = queries.access_cadre(ctx.session, county_code, cadre_id)
    found = queries.statement(ctx.session, county_code, queries.parse_month(month), cadre_id=cadre.id)
    return statements.download(ctx.session, found, f"statement-cadre-{cadre.id}", cadre.name)


@router.get("/selection/guarantee/funds")
def funds_page(
    ctx: Ctx = permit(GUARANTEE_READ),
    county: CountyQuery = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    code, year = _county(ctx, county), year or date.today().year
    found = queries.funds(ctx.session, code, year)
    names = queries.cadre_names(ctx.session, code, [f.cadre_id for f in found])
    context = {"county": code, "year": year, "funds": found, "cadres": names, "counties": _counties(ctx)}
    return render(ctx.request, "guarantee/funds.html", context)


def _fund_context(
    ctx: Ctx, county_code: str, fund_id: int, errors: dict[str, str], form: dict[str, str]
) -> dict[str, Any]:
    fund, cadre = queries.access_fund(ctx.session, county_code, fund_id)
    return {
        "fund": fund,
        "cadre": cadre,
        "spendings": queries.spendings(ctx.session, fund),
        "errors": errors,
        "form": form,
        "can_write": ctx.principal.can(GUARANTEE_WRITE),
    }


@router.get("/selection/guarantee/funds/{county_code}/{fund_id}")
def fund_page(county_code: CountyCode, fund_id: RowId, ctx: Ctx = permit(GUARANTEE_READ)) -> Response:
    return render(ctx.request, "guarantee/fund.html", _fund_context(ctx, county_code, fund_id, {}, {}))


@router.post("/selection/guarantee/funds/{county_code}/{fund_id}/spendings")
async def spend(county_code: CountyCode, fund_id: RowId, ctx: Ctx = permit(GUARANTEE_WRITE)) -> Response:
    """Record a spending from the fund's page; refused spending stays in the form with its reason."""
    form = {k: str(v) for k, v in (await ctx.request.form()).items()}
    fund, cadre = queries.access_fund(ctx.session, county_code, fund_id)

    def act() -> None:
        data = SpendingIn.model_validate(clean(form))
        service.spend(ctx.session, actor=ctx.principal, fund=fund, cadre=cadre, data=data)

    errors = attempt(ctx.session, act, "amount")
    if not errors:
        return redirect(f"/selection/guarantee/funds/{county_code}/{fund_id}", ctx.request)
    context = _fund_context(ctx, county_code, fund_id, errors, form)
    return render(ctx.request, "guarantee/fund.html", context, status=422)


@router.get("/selection/guarantee/insurance")
def insurance_page(ctx: Ctx = permit(GUARANTEE_READ), county: CountyQuery = None, expiring: int = 0) -> Response:
    code, today = _county(ctx, county), date.today()
    found = queries.expiring(ctx.session, code, today) if expiring else queries.policies(ctx.session, code)
    warn = queries.warning_days(ctx.session, code, today)
    names = queries.cadre_names(ctx.session, code, [p.cadre_id for p in found])
    context = {
        "county": code,
        "expiring": expiring,
        "policies": found,
        "cadres": names,
        "today": today,
        "warn": warn,
        "counties": _counties(ctx),
    }
    return render(ctx.request, "guarantee/insurance.html", context)


@router.get("/selection/guarantee/health")
def health_page(ctx: Ctx = permit(GUARANTEE_READ), county: CountyQuery = None) -> Response:
    """Cadres in post whose yearly health check is overdue, and this year's checks (dates and
    done or not: the results are private and never listed)."""
    code, today = _county(ctx, county), date.today()
    checks = queries.health_checks(ctx.session, code, today.year)
    context = {
        "county": code,
        "overdue": queries.health_overdue(ctx.session, code, today),
        "checks": checks,
        "cadres": queries.cadre_names(ctx.session, code, [c.cadre_id for c in checks]),
        "year": today.year,
        "rules": rules_for(ctx.session, code, today.year),
        "counties": _counties(ctx),
    }
    return render(ctx.request, "guarantee/health.html", context)
