"""Kinship API: a member's relatives to a degree, declared relations, declaring and
removing one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ...core.addressing import CountyCode, moved
from ...core.deps import Ctx, permit
from ...core.pagination import int_id
from ..models import Member
from ..permissions import KIN_READ, KIN_WRITE
from ..service import access_member
from . import present, service
from .schemas import KinIn, KinOut, KinRemoval, RelativesOut

router = APIRouter(prefix="/api/v1", tags=["kinship"])
RowId = Annotated[int, int_id(2**63 - 1)]


@router.get("/members/{county_code}/{member_id}/relatives", response_model=RelativesOut)
def relatives(
    county_code: CountyCode,
    member_id: RowId,
    ctx: Ctx = permit(KIN_READ),
    degree: Annotated[int | None, Query(ge=1, description="steps to follow (default and maximum are settings)")] = None,
) -> RelativesOut:
    """Everyone related to the member within ``degree`` steps, with the path to each."""
    member = access_member(ctx.session, county_code, member_id)
    return present.relatives(ctx.session, member, present.degree_of(ctx.settings, degree))


@router.get("/members/{county_code}/{member_id}/kin", response_model=list[KinOut])
def declared(county_code: CountyCode, member_id: RowId, ctx: Ctx = permit(KIN_READ)) -> list[KinOut]:
    """The relations declared for the member (those read from household rolls are not listed)."""
    member = access_member(ctx.session, county_code, member_id)
    return present.declared(ctx.session, member)[0]


@router.post("/kin", response_model=KinOut, status_code=201)
def declare(body: KinIn, ctx: Ctx = permit(KIN_WRITE)) -> KinOut:
    """Declare that member_a is ``kind`` of member_b (parent: a is a parent of b)."""
    county = body.county_code
    a, b = access_member(ctx.session, county, body.member_a), access_member(ctx.session, county, body.member_b)
    return KinOut.model_validate(service.declare(ctx.session, actor=ctx.principal, a=a, b=b, data=body))


@router.post("/kin/{county_code}/{member_a}/{member_b}/remove", status_code=204, response_class=Response)
def remove(
    county_code: CountyCode, member_a: RowId, member_b: RowId, body: KinRemoval, ctx: Ctx = permit(KIN_WRITE)
) -> Response:
    """Remove the relation declared between two members, whichever way round, with a reason."""
    a, b = access_member(ctx.session, county_code, member_a), access_member(ctx.session, county_code, member_b)
    service.remove(ctx.session, actor=ctx.principal, a=a, b=b, reason=body.reason)
    return Response(status_code=204)


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"member_id": Member, "member_a": Member})
