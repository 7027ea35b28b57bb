"""Helper API: the coverage report, the county's assignment in bulk, and a helper's release."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zhucun.core.addressing import CountyCode, moved
from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import NotFound
from zhucun.core.pagination import int_id
from zhucun.core.scope import access
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.permissions import HELPER_READ, HELPER_WRITE

from . import queries, service
from .schemas import AssignIn, CoverageOut, ReleaseIn, ReleaseOut, SummaryOut

router = APIRouter(prefix="/api/v1/helpers", tags=["selection"])
RowId = Annotated[int, int_id(2**63 - 1)]


@router.get("/coverage", response_model=CoverageOut)
def coverage(
    ctx: Ctx = permit(HELPER_READ), division: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None
) -> CoverageOut:
    """Per village and township of the division (by default, the reader's area): households
    in care, with a helper, without one, helpers over the cap."""
    division = division or queries.default_area(ctx.session, ctx.principal)
    if division is None:
        raise NotFound()
    access(ctx.session, Division, division)
    return CoverageOut.model_validate(queries.report(ctx.session, division))


@router.post("/assign", response_model=SummaryOut)
def assign(body: AssignIn, ctx: Ctx = permit(HELPER_WRITE)) -> SummaryOut:
    """Give every household in care of the county one helper within the cap."""
    return SummaryOut.model_validate(service.assign_helpers(ctx.session, actor=ctx.principal, county=body.county))


@router.post("/cadres/{county_code}/{cadre_id}/release", response_model=ReleaseOut)
def release(county_code: CountyCode, cadre_id: RowId, body: ReleaseIn, ctx: Ctx = permit(HELPER_WRITE)) -> ReleaseOut:
    """The helper leaves: their households are reassigned in the same action; those no
    helper has room for are named (and shown by the coverage report)."""
    summary = service.release_helper(
        ctx.session, actor=ctx.principal, county_code=county_code, cadre_id=cadre_id, reason=body.reason
    )
    return ReleaseOut.model_validate(summary)


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"cadre_id": Cadre})
