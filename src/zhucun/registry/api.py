"""Registry API: households and members — lists with search and keyset pages, details,
registration and changes with their history, exports, revealing protected numbers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zhucun.core.disclosure import check_unmask, record_list_export
from zhucun.core.protect import Protector

from ..core import export as exporting
from ..core.addressing import CountyCode, moved
from ..core.deps import Ctx, permit
from ..core.errors import Invalid
from ..core.i18n import _l
from ..core.pagination import int_id
from . import queries, service
from .exports import HOUSEHOLD_COLUMNS, member_columns, named, revealing
from .models import Household, Member
from .permissions import HOUSEHOLD_READ, HOUSEHOLD_WRITE, INCOME_WRITE, PERSON_UNMASK
from .schemas import (
    ChangeOut,
    ChangePage,
    HouseholdDetail,
    HouseholdIn,
    HouseholdOut,
    HouseholdPage,
    HouseholdPatch,
    IncomeIn,
    IncomeOut,
    MemberIn,
    MemberMove,
    MemberOut,
    MemberPage,
    MemberPatch,
    MemberRemoval,
    RevealIn,
    RevealOut,
)

router = APIRouter(prefix="/api/v1", tags=["registry"])
RowId = Annotated[int, int_id(2**63 - 1)]
Fmt = Literal["csv", "xlsx"]
Cursor = Annotated[str | None, Query(max_length=500)]
Limit = Annotated[int, Query(ge=1, le=500)]
Search = Annotated[str | None, Query(max_length=50, description="name, ID number or household number")]
Area = Annotated[str | None, Query(pattern=r"^\d{12}$", description="a division code: its whole area")]
Code2 = Annotated[str | None, Query(max_length=2)]


def protector(ctx: Ctx) -> Protector:
    return Protector.of(ctx.settings)


@router.get("/households", response_model=HouseholdPage)
def list_households(
    ctx: Ctx = permit(HOUSEHOLD_READ),
    q: Search = None,
    village: Area = None,
    status: Code2 = None,
    attribute: Code2 = None,
    monitored: bool | None = None,
    assisted: bool | None = None,
    below: bool | None = None,
    mine: bool | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> HouseholdPage:
    """``mine``: only the households the reader's account is the open helper of."""
    filters = {"q": q, "village": village, "status": status, "attribute": attribute, "monitored": monitored}
    filters |= {"helped_by": (ctx.principal.user_id or 0) if mine else None}
    statement = queries.household_statement(protector(ctx), **filters, assisted=assisted, below=below)
    items, next_cursor = queries.page(ctx.session, statement, Household, cursor=cursor, limit=limit)
    return HouseholdPage(items=[HouseholdOut.model_validate(h) for h in items], next_cursor=next_cursor)


@router.get("/households/export.{fmt}", response_class=Response)
def export_households(
    fmt: Fmt,
    ctx: Ctx = permit(HOUSEHOLD_READ),
    q: Search = None,
    village: Area = None,
    status: Code2 = None,
    attribute: Code2 = None,
    monitored: bool | None = None,
    assisted: bool | None = None,
    below: bool | None = None,
    mine: bool | None = None,
) -> Response:
    """The filtered list as CSV or Excel (phones and bank accounts masked)."""
    filters = {"q": q, "village": village, "status": status, "attribute": attribute, "monitored": monitored}
    filters |= {"assisted": assisted, "below": below, "helped_by": (ctx.principal.user_id or 0) if mine else None}
    record_list_export(ctx, "households", filters, False, None)
    statement = queries.household_statement(protector(ctx), **filters)
    rows = named(queries.stream(ctx.session, statement, Household), ctx.session)
    return exporting.response(fmt, "households", HOUSEHOLD_COLUMNS, rows)


@router.post("/households", response_model=HouseholdDetail, status_code=201)
def create_household(body: HouseholdIn, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> HouseholdDetail:
    household = service.create_household(ctx.session, actor=ctx.principal, protector=protector(ctx), data=body)
    return _detail(ctx, household)


def _detail(ctx: Ctx, household: Household) -> HouseholdDetail:
    detail = HouseholdDetail.model_validate(household)
    detail.members = [MemberOut.model_validate(m) for m in queries.members_of(ctx.session, household)]
    detail.incomes = [IncomeOut.model_validate(i) for i in queries.incomes_of(ctx.session, household)]
    return detail


@router.get("/households/{county_code}/{household_id}", response_model=HouseholdDetail)
def get_household(county_code: CountyCode, household_id: RowId, ctx: Ctx = permit(HOUSEHOLD_READ)) -> HouseholdDetail:
    return _detail(ctx, service.access_household(ctx.session, county_code, household_id))


@router.patch("/households/{county_code}/{household_id}", response_model=HouseholdDetail)
def update_household(
    county_code: CountyCode, household_id: RowId, body: HouseholdPatch, ctx: Ctx = permit(HOUSEHOLD_WRITE)
) -> HouseholdDetail:
    household = service.access_household(ctx.session, county_code, household_id)
    service.update_household(ctx.session, actor=ctx.principal, protector=protector(ctx), household=household, data=body)
    return _detail(ctx, household)


@router.get("/households/{county_code}/{household_id}/history", response_model=ChangePage)
def household_history(
    county_code: CountyCode,
    household_id: RowId,
    ctx: Ctx = permit(HOUSEHOLD_READ),
    cursor: Cursor = None,
    limit: Limit = 50,
) -> ChangePage:
    household = service.access_household(ctx.session, county_code, household_id)
    items, next_cursor = queries.history_of(ctx.session, household, cursor=cursor, limit=limit)
    return ChangePage(items=[ChangeOut.model_validate(c) for c in items], next_cursor=next_cursor)


@router.post("/households/{county_code}/{household_id}/members", response_model=MemberOut, status_code=201)
def add_member(
    county_code: CountyCode,
    household_id: RowId,
    body: MemberIn,
    ctx: Ctx = permit(HOUSEHOLD_WRITE),
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> MemberOut:
    household = service.access_household(ctx.session, county_code, household_id)
    member = service.add_member(
        ctx.session, actor=ctx.principal, protector=protector(ctx), household=household, data=body, reason=reason
    )
    return MemberOut.model_validate(member)


@router.put("/households/{county_code}/{household_id}/incomes/{year}", response_model=IncomeOut)
def set_income(
    county_code: CountyCode,
    household_id: RowId,
    year: Annotated[int, int_id(2100)],
    body: IncomeIn,
    ctx: Ctx = permit(INCOME_WRITE),
) -> IncomeOut:
    if year < 1980:
        raise Invalid(_l("Must be a year between 1980 and 2100."), field="year")
    household = service.access_household(ctx.session, county_code, household_id)
    return IncomeOut.model_validate(
        service.set_income(ctx.session, actor=ctx.principal, household=household, year=year, data=body)
    )


@router.post("/households/{county_code}/{household_id}/reveal", response_model=RevealOut)
def reveal_household(
    county_code: CountyCode, household_id: RowId, body: RevealIn, ctx: Ctx = permit(PERSON_UNMASK)
) -> RevealOut:
    household = service.access_household(ctx.session, county_code, household_id)
    value = service.reveal(
        ctx.session, actor=ctx.principal, protector=protector(ctx), obj=household, field=body.field, reason=body.reason
    )
    return RevealOut(field=body.field, value=value)


@router.get("/members", response_model=MemberPage)
def list_members(
    ctx: Ctx = permit(HOUSEHOLD_READ),
    q: Search = None,
    village: Area = None,
    household_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    gender: Annotated[Literal["1", "2"] | None, Query()] = None,
    status: Annotated[Literal["1", "2", "3", "4", "5"] | None, Query()] = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> MemberPage:
    statement = queries.member_statement(
        protector(ctx), q=q, village=village, household_id=household_id, gender=gender, status=status
    )
    items, next_cursor = queries.page(ctx.session, statement, Member, cursor=cursor, limit=limit)
    return MemberPage(items=[MemberOut.model_validate(m) for m in items], next_cursor=next_cursor)


@router.get("/members/export.{fmt}", response_class=Response)
def export_members(
    fmt: Fmt,
    ctx: Ctx = permit(HOUSEHOLD_READ),
    q: Search = None,
    village: Area = None,
    status: Annotated[Literal["1", "2", "3", "4", "5"] | None, Query()] = None,
    unmask: bool = False,
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """The filtered members as CSV or Excel; ID numbers masked unless revealed with a reason."""
    check_unmask(ctx, unmask, reason, PERSON_UNMASK)
    filters = {"q": q, "village": village, "status": status}
    record_list_export(ctx, "members", filters, unmask, reason)
    statement = queries.member_statement(protector(ctx), **filters)
    rows = named(queries.stream(ctx.session, statement, Member), ctx.session, households=True)
    if unmask:
        rows = revealing(rows, protector(ctx))
    return exporting.response(fmt, "members", member_columns(unmask), rows)


@router.get("/members/{county_code}/{member_id}", response_model=MemberOut)
def get_member(county_code: CountyCode, member_id: RowId, ctx: Ctx = permit(HOUSEHOLD_READ)) -> MemberOut:
    return MemberOut.model_validate(service.access_member(ctx.session, county_code, member_id))


@router.patch("/members/{county_code}/{member_id}", response_model=MemberOut)
def update_member(
    county_code: CountyCode, member_id: RowId, body: MemberPatch, ctx: Ctx = permit(HOUSEHOLD_WRITE)
) -> MemberOut:
    member = service.access_member(ctx.session, county_code, member_id)
    return MemberOut.model_validate(
        service.update_member(ctx.session, actor=ctx.principal, protector=protector(ctx), member=member, data=body)
    )


@router.post("/members/{county_code}/{member_id}/remove", response_model=MemberOut)
def remove_member(
    county_code: CountyCode, member_id: RowId, body: MemberRemoval, ctx: Ctx = permit(HOUSEHOLD_WRITE)
) -> MemberOut:
    member = service.access_member(ctx.session, county_code, member_id)
    return MemberOut.model_validate(
        service.remove_member(ctx.session, actor=ctx.principal, member=member, status=body.status, reason=body.reason)
    )


@router.post("/members/{county_code}/{member_id}/move", response_model=MemberOut)
def move_member(
    county_code: CountyCode, member_id: RowId, body: MemberMove, ctx: Ctx = permit(HOUSEHOLD_WRITE)
) -> MemberOut:
    member = service.access_member(ctx.session, county_code, member_id)
    return MemberOut.model_validate(service.move_member(ctx.session, actor=ctx.principal, member=member, data=body))


@router.post("/members/{county_code}/{member_id}/reveal", response_model=RevealOut)
def reveal_member(
    county_code: CountyCode, member_id: RowId, body: RevealIn, ctx: Ctx = permit(PERSON_UNMASK)
) -> RevealOut:
    member = service.access_member(ctx.session, county_code, member_id)
    value = service.reveal(
        ctx.session, actor=ctx.principal, protector=protector(ctx), obj=member, field=body.field, reason=body.reason
    )
    return RevealOut(field=body.field, value=value)


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"household_id": Household, "member_id": Member})
