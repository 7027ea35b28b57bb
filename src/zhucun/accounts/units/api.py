"""Unit API: the list with filters and keyset pages, details with pairings and cadre
counts, registration, changes, pairings, exports."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from zhucun.accounts.units import queries, service
from zhucun.accounts.units.exports import unit_columns
from zhucun.accounts.units.models import UNIT_KINDS, UNIT_LEVELS, Unit
from zhucun.accounts.units.permissions import UNIT_READ, UNIT_WRITE
from zhucun.accounts.units.schemas import PairingIn, PairingOut, UnitDetail, UnitIn, UnitOut, UnitPage, UnitPatch
from zhucun.core import export as exporting
from zhucun.core.deps import Ctx, permit
from zhucun.core.disclosure import record_list_export
from zhucun.core.pagination import int_id

router = APIRouter(prefix="/api/v1/units", tags=["units"])
UnitId = Annotated[int, int_id()]
County = Annotated[str, Path(pattern=r"^\d{12}$", description="the paired county's code")]
Search = Annotated[str | None, Query(max_length=50, description="any part of the name")]
LevelQ = Annotated[Literal[UNIT_LEVELS] | None, Query()]  # type: ignore[valid-type]
KindQ = Annotated[Literal[UNIT_KINDS] | None, Query()]  # type: ignore[valid-type]


def _detail(ctx: Ctx, unit: Unit) -> UnitDetail:
    detail = UnitDetail.model_validate(unit)
    detail.pairings = queries.pairings_of(ctx.session, [unit.id]).get(unit.id, [])
    detail.cadres = queries.cadre_counts(ctx.session, unit.id)
    return detail


@router.get("", response_model=UnitPage)
def list_units(
    ctx: Ctx = permit(UNIT_READ),
    q: Search = None,
    level: LevelQ = None,
    kind: KindQ = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> UnitPage:
    statement = queries.unit_statement(q=q, level=level, kind=kind)
    items, next_cursor = queries.page(ctx.session, statement, cursor=cursor, limit=limit)
    return UnitPage(items=[UnitOut.model_validate(u) for u in items], next_cursor=next_cursor)


@router.get("/export.{fmt}", response_class=Response)
def export_units(
    fmt: Literal["csv", "xlsx"],
    ctx: Ctx = permit(UNIT_READ),
    q: Search = None,
    level: LevelQ = None,
    kind: KindQ = None,
) -> Response:
    """The filtered units as CSV or Excel, with their paired counties."""
    filters = {"q": q, "level": level, "kind": kind}
    record_list_export(ctx, "units", filters, False, None)
    rows = queries.stream(ctx.session, queries.unit_statement(**filters))
    return exporting.response(fmt, "units", unit_columns(queries.pairings_of(ctx.session)), rows)


@router.post("", response_model=UnitDetail, status_code=201)
def create_unit(body: UnitIn, ctx: Ctx = permit(UNIT_WRITE)) -> UnitDetail:
    return _detail(ctx, service.create_unit(ctx.session, actor=ctx.principal, data=body))


@router.get("/{unit_id}", response_model=UnitDetail)
def get_unit(unit_id: UnitId, ctx: Ctx = permit(UNIT_READ)) -> UnitDetail:
    return _detail(ctx, service.access_unit(ctx.session, unit_id))


@router.patch("/{unit_id}", response_model=UnitDetail)
def update_unit(unit_id: UnitId, body: UnitPatch, ctx: Ctx = permit(UNIT_WRITE)) -> UnitDetail:
    unit = service.access_unit(ctx.session, unit_id)
    return _detail(ctx, service.update_unit(ctx.session, actor=ctx.principal, unit=unit, data=body))


@router.get("/{unit_id}/pairings", response_model=list[PairingOut])
def list_pairings(unit_id: UnitId, ctx: Ctx = permit(UNIT_READ)) -> list[PairingOut]:
    unit = service.access_unit(ctx.session, unit_id)
    return queries.pairings_of(ctx.session, [unit.id]).get(unit.id, [])


@router.post("/{unit_id}/pairings", response_model=list[PairingOut], status_code=201)
def pair_county(unit_id: UnitId, body: PairingIn, ctx: Ctx = permit(UNIT_WRITE)) -> list[PairingOut]:
    """Pair the unit with a county (a six- or twelve-digit county code)."""
    unit = service.access_unit(ctx.session, unit_id)
    service.pair_county(ctx.session, actor=ctx.principal, unit=unit, data=body)
    return queries.pairings_of(ctx.session, [unit.id]).get(unit.id, [])


@router.delete("/{unit_id}/pairings/{county}", status_code=204, response_class=Response)
def unpair_county(
    unit_id: UnitId,
    county: County,
    ctx: Ctx = permit(UNIT_WRITE),
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    unit = service.access_unit(ctx.session, unit_id)
    service.unpair_county(ctx.session, actor=ctx.principal, unit=unit, county_code=county, reason=reason)
    return Response(status_code=204)
