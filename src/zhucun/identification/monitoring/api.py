"""Monitoring API: the signals of a division, opening cases for selected signalled
households, and the escalation sweep."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from zhucun.core.deps import Ctx, permit
from zhucun.divisions.areas import report_area

from . import queries, service
from .permissions import CASE_SWEEP, SIGNAL_ACT, SIGNAL_READ
from .schemas import OpenCasesIn, OpenedOut, SignalPage, SweepIn, SweptOut

router = APIRouter(prefix="/api/v1", tags=["identification"])
Code = Annotated[str | None, Query(pattern=r"^\d{6,12}$")]
Place = Annotated[str, Path(pattern=r"^\d{12}$", description="the division's 12-digit code")]
Signal = Literal["low_income", "heavy_spending", "sudden_event"]
State = Literal["pending", "monitored", "in_case"]


@router.get("/signals/{division}", response_model=SignalPage)
def list_signals(
    division: Place,
    ctx: Ctx = permit(SIGNAL_READ),
    year: Annotated[int | None, Query(ge=2015, le=2100)] = None,
    village: Code = None,
    signal: Signal | None = None,
    state: State | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> SignalPage:
    """Households of the division with a return-to-poverty signal in the year, computed in bulk."""
    today = date.today()
    code = report_area(ctx, division).code
    page, _ = queries.signal_page(
        ctx.session,
        code,
        year=year or queries.default_year(today),
        today=today,
        village=village,
        signal=signal,
        state=state,
        offset=offset,
        limit=limit,
    )
    return page


@router.post("/signals/{division}/cases", response_model=OpenedOut, status_code=201)
def open_cases(division: Place, body: OpenCasesIn, ctx: Ctx = permit(SIGNAL_ACT)) -> OpenedOut:
    """Open monitoring cases for the selected signalled households, all or nothing."""
    opened = service.open_cases(
        ctx.session,
        actor=ctx.principal,
        division=report_area(ctx, division).code,
        household_ids=body.household_ids,
        year=body.year,
        on=date.today(),
    )
    return OpenedOut.model_validate(opened.as_json())


@router.post("/monitoring/{division}/sweep", response_model=SweptOut)
def sweep(division: Place, body: SweepIn, ctx: Ctx = permit(CASE_SWEEP)) -> SweptOut:
    """Escalate the division's overdue monitoring cases (idempotent) and store its pending signals."""
    division = report_area(ctx, division).code
    on = queries.sweep_day(body.on, date.today())
    swept = service.sweep(ctx.session, actor=ctx.principal, division=division, on=on)
    return SweptOut.model_validate(swept.as_json())
