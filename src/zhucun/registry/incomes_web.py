"""A household's income of one year, recorded on its page: a phone-sized form of the
sources in yuan, the net total and income per head shown back against the year's
monitoring line (HTMX, as the figures are typed), saved through the same use case as the
API (``service.set_income``: one transaction, the household's history, the audit trail)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field, ValidationError, create_model
from starlette.concurrency import run_in_threadpool

from ..core.addressing import CountyCode, moved, url_of
from ..core.deps import Ctx, permit
from ..core.errors import DomainError
from ..core.pagination import int_id
from ..core.web import ENV, field_errors, form_values, redirect, render
from ..identification.rules import monitoring_line
from . import queries, rules, service
from .models import Household
from .permissions import INCOME_WRITE
from .schemas import IncomeFigures, IncomeForm, IncomeIn

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, int_id(2**63 - 1)]
FIGURES = tuple(IncomeFigures.model_fields)
# The summary's query string while the figures are typed: text as typed, each of bounded length.
TypedFigures = create_model(
    "TypedFigures",
    year=(str, Field("", max_length=4)),
    **{name: (str, Field("", max_length=20)) for name in FIGURES},
)
# The household page marks a year whose income per head is under that year's line.
ENV.globals["monitoring_line"] = monitoring_line


def _shown(value: Decimal | None) -> str:
    """A stored amount as typed: 12000.00 → "12000", 12000.50 → "12000.50"."""
    if value is None:
        return ""
    return f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"


def _summary(household: Household, year: int, figures: IncomeFigures | None) -> dict[str, Any]:
    line = monitoring_line(year)
    summary = rules.income_summary(figures.model_dump(), household.member_count, line) if figures else None
    return {"summary": summary, "year": year, "members": household.member_count or 1}


def _year(typed: str) -> int:
    """The typed year for the line shown beside the figures; this year while it is not one."""
    typed = typed.strip()
    return int(typed) if typed.isdigit() and 1980 <= int(typed) <= 2100 else date.today().year


def _figures(values: dict[str, str]) -> IncomeFigures | None:
    """The typed figures when they are valid (blanks count as nothing), else None."""
    try:
        return IncomeFigures.model_validate({k: v.strip() for k, v in values.items() if k in FIGURES and v.strip()})
    except ValidationError:
        return None


def _page(h: Household, form: dict[str, str], errors: dict[str, str], year: int) -> dict[str, Any]:
    return {"h": h, "form": form, "errors": errors, "recorded": None, **_summary(h, year, _figures(form))}


@router.get("/registry/households/{county_code}/{household_id}/incomes")
def income_form(
    county_code: CountyCode,
    household_id: RowId,
    ctx: Ctx = permit(INCOME_WRITE),
    year: Annotated[int | None, Query(ge=1980, le=2100)] = None,
) -> Response:
    h = service.access_household(ctx.session, county_code, household_id)
    service.require_income_writer(ctx.session, ctx.principal, h)
    year = year or date.today().year
    row = next((i for i in queries.incomes_of(ctx.session, h) if i.year == year), None)
    form = {"year": str(year), **{name: _shown(getattr(row, name)) for name in FIGURES if row is not None}}
    return render(ctx.request, "registry/income_edit.html", {**_page(h, form, {}, year), "recorded": row})


@router.get("/registry/households/{county_code}/{household_id}/incomes/summary")
def income_summary(
    county_code: CountyCode,
    household_id: RowId,
    typed: Annotated[TypedFigures, Query()],
    ctx: Ctx = permit(INCOME_WRITE),
) -> Response:
    """The total, per head and line for the figures being typed (HTMX partial)."""
    h = service.access_household(ctx.session, county_code, household_id)
    service.require_income_writer(ctx.session, ctx.principal, h)
    figures = typed.model_dump()
    year = figures.pop("year")
    return render(ctx.request, "registry/_income_summary.html", _summary(h, _year(year), _figures(figures)))


@router.post("/registry/households/{county_code}/{household_id}/incomes")
async def save_income(county_code: CountyCode, household_id: RowId, ctx: Ctx = permit(INCOME_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_save_income, ctx, county_code, household_id, form)


def _save_income(ctx: Ctx, county_code: str, household_id: int, form: dict[str, str]) -> Response:
    h = service.access_household(ctx.session, county_code, household_id)
    values = {k: v.strip() for k, v in form.items() if k != "csrf_token" and v.strip()}
    try:
        data = IncomeForm.model_validate(values)
        service.set_income(
            ctx.session,
            actor=ctx.principal,
            household=h,
            year=data.year,
            data=IncomeIn.model_validate(data.model_dump(exclude={"year"})),
        )
    except ValidationError as exc:
        return _refused(ctx, h, form, field_errors(exc))
    except DomainError as exc:
        return _refused(ctx, h, form, {exc.field or "": exc.message}, status=exc.status)
    return redirect(url_of(h), ctx.request)


def _refused(ctx: Ctx, h: Household, form: dict[str, str], errors: dict[str, str], status: int = 422) -> Response:
    page = _page(h, form, errors, _year(form.get("year", "")))
    return render(ctx.request, "registry/income_edit.html", page, status=status)


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"household_id": Household})
