"""Duplicate registrations API: the report (paged, by area and kind), its export, and
resolving one registration."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zhucun.core.disclosure import record_list_export

from ...core import export as exporting
from ...core.addressing import CountyCode, moved
from ...core.deps import Ctx, permit
from ...core.pagination import int_id
from ..models import Member
from ..permissions import DUPLICATE_READ, DUPLICATE_RESOLVE
from ..schemas import MemberOut
from ..service import access_member
from . import queries, service
from .exports import COLUMNS
from .schemas import DuplicateOut, DuplicatePage, ResolutionIn

router = APIRouter(prefix="/api/v1", tags=["duplicates"])
Area = Annotated[
    str | None, Query(pattern=r"^\d{12}$", description="a division code: duplicates with a registration in its area")
]
Kind = Annotated[Literal["within", "across"] | None, Query(description="within one county, or across counties")]


@router.get("/duplicates", response_model=DuplicatePage)
def list_duplicates(
    ctx: Ctx = permit(DUPLICATE_READ),
    area: Area = None,
    kind: Kind = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> DuplicatePage:
    """ID numbers on the roll more than once, each with all its registrations."""
    items, next_cursor = queries.page(ctx.session, ctx.scope, area=area, kind=kind, cursor=cursor, limit=limit)
    total, across = queries.summary(ctx.session, ctx.scope, area=area)
    return DuplicatePage(
        items=[DuplicateOut.model_validate(d) for d in items],
        next_cursor=next_cursor,
        total=total,
        across_counties=across,
    )


@router.get("/duplicates/export.{fmt}", response_class=Response)
def export_duplicates(
    fmt: Literal["csv", "xlsx"], ctx: Ctx = permit(DUPLICATE_READ), area: Area = None, kind: Kind = None
) -> Response:
    """The whole report as CSV or Excel, one row per registration (ID numbers masked)."""
    record_list_export(ctx, "duplicates", {"area": area, "kind": kind})
    rows = queries.stream(ctx.session, ctx.scope, area=area, kind=kind)
    return exporting.response(fmt, "duplicates", COLUMNS, rows)


@router.post("/duplicates/{county_code}/{member_id}/resolve", response_model=MemberOut)
def resolve(
    county_code: CountyCode,
    member_id: Annotated[int, int_id(2**63 - 1)],
    body: ResolutionIn,
    ctx: Ctx = permit(DUPLICATE_RESOLVE),
) -> MemberOut:
    """Resolve a duplicate by acting on this registration (the others stay): take it off its
    household's roll, or mark it reviewed as not the same person."""
    member = access_member(ctx.session, county_code, member_id)
    return MemberOut.model_validate(
        service.resolve(ctx.session, actor=ctx.principal, member=member, outcome=body.outcome, reason=body.reason)
    )


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"member_id": Member})
