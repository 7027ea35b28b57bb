"""Village official API: a village's officials, appointments, ends of terms, history."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from ...core.addressing import CountyCode, moved
from ...core.deps import Ctx, permit
from ...core.pagination import int_id
from ..permissions import HOUSEHOLD_READ, HOUSEHOLD_WRITE
from ..schemas import ChangeOut
from . import queries, service
from .models import VillageOfficial
from .schemas import OfficialDetail, OfficialIn, OfficialOut, TermEnd

router = APIRouter(prefix="/api/v1", tags=["village officials"])
RowId = Annotated[int, int_id(2**63 - 1)]
Village = Annotated[str, Path(pattern=r"^\d{12}$", description="the village's 12-digit code")]


@router.get("/villages/{code}/officials", response_model=list[OfficialOut])
def list_officials(code: Village, ctx: Ctx = permit(HOUSEHOLD_READ), current: bool | None = None) -> list[OfficialOut]:
    """The village's officials: current terms first, then past ones (``current`` filters)."""
    village = service.access_village(ctx.session, code)
    return queries.officials_of(ctx.session, village.code, current=current)


@router.post("/villages/{code}/officials", response_model=OfficialOut, status_code=201)
def appoint(code: Village, body: OfficialIn, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> OfficialOut:
    """Appoint a resident of the village to a post (书记 and 主任 have one holder at a time)."""
    village = service.access_village(ctx.session, code)
    official = service.appoint(ctx.session, actor=ctx.principal, village=village, data=body)
    return queries.official_out(ctx.session, official)


@router.get("/officials/{county_code}/{official_id}", response_model=OfficialDetail)
def get_official(county_code: CountyCode, official_id: RowId, ctx: Ctx = permit(HOUSEHOLD_READ)) -> OfficialDetail:
    official = service.access_official(ctx.session, county_code, official_id)
    out = OfficialDetail(**queries.official_out(ctx.session, official).model_dump())
    out.history = [ChangeOut.model_validate(c) for c in queries.history_of(ctx.session, official)]
    return out


@router.post("/officials/{county_code}/{official_id}/end", response_model=OfficialOut)
def end_term(
    county_code: CountyCode, official_id: RowId, body: TermEnd, ctx: Ctx = permit(HOUSEHOLD_WRITE)
) -> OfficialOut:
    official = service.access_official(ctx.session, county_code, official_id)
    return queries.official_out(
        ctx.session, service.end_term(ctx.session, actor=ctx.principal, official=official, data=body)
    )


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"official_id": VillageOfficial})
