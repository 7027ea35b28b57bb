"""Cadre API: lists with search and keyset pages, details with eligibility facts and
postings, registration, changes with a reason, history, postings, revealing, exports."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from zhucun.accounts.present import user_names
from zhucun.accounts.units.queries import all_names as all_unit_names
from zhucun.accounts.units.queries import names as unit_names
from zhucun.core import export as exporting
from zhucun.core.addressing import CountyCode, moved
from zhucun.core.deps import Ctx, permit
from zhucun.core.disclosure import check_unmask, record_list_export
from zhucun.core.pagination import int_id
from zhucun.core.protect import Protector
from zhucun.registry.exports import revealing
from zhucun.registry.permissions import PERSON_UNMASK
from zhucun.registry.schemas import ChangeOut, ChangePage, RevealOut
from zhucun.selection.cadres import assessment, postings, queries, service
from zhucun.selection.cadres.exports import cadre_columns
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.cadres.profiles import profile
from zhucun.selection.cadres.schemas import (
    CadreDetail,
    CadreIn,
    CadreOut,
    CadrePage,
    CadrePatch,
    CadreRevealIn,
    EligibilityOut,
    PostingEnd,
    PostingIn,
    PostingOut,
    ProfileIn,
    ProfileOut,
)
from zhucun.selection.helpers.schemas import ReleaseOut
from zhucun.selection.permissions import CADRE_ASSESS, CADRE_READ, CADRE_WRITE
from zhucun.selection.rules import eligibility

router = APIRouter(prefix="/api/v1", tags=["cadres"])
RowId = Annotated[int, int_id(2**63 - 1)]
Cursor = Annotated[str | None, Query(max_length=500)]
Limit = Annotated[int, Query(ge=1, le=500)]
Search = Annotated[str | None, Query(max_length=50, description="name (its beginning) or ID number")]
UnitQ = Annotated[int | None, Query(ge=1, le=2**31 - 1)]
Area = Annotated[str | None, Query(pattern=r"^\d{12}$", description="a division code: its whole area")]
Role = Annotated[Literal["1", "2", "3"] | None, Query(description="posted now in this role")]


def protector(ctx: Ctx) -> Protector:
    return Protector.of(ctx.settings)


def detail(ctx: Ctx, cadre: Cadre) -> CadreDetail:
    """A cadre with their unit's name, eligibility facts today and postings."""
    out = CadreDetail.model_validate(cadre)
    out.unit_name = unit_names(ctx.session, {cadre.unit_id}).get(cadre.unit_id)  # type: ignore[arg-type]
    out.eligibility = EligibilityOut.model_validate(
        eligibility(
            birth_date=cadre.birth_date,
            work_started=cadre.work_started,
            party_member=cadre.party_member,
            party_joined=cadre.party_joined,
            on=date.today(),
        )
    )
    out.postings = [PostingOut.model_validate(p) for p in postings.postings_of(ctx.session, cadre)]
    out.current_posting = next((p for p in out.postings if p.end_date is None), None)
    out.profile = profile_out(ctx, cadre)
    return out


def profile_out(ctx: Ctx, cadre: Cadre) -> ProfileOut:
    """The cadre's competency profile, the assessing account named."""
    out = ProfileOut.model_validate(profile(ctx.session, [cadre])[cadre.id])
    if cadre.assessed_by is not None:
        out.assessed_by_name = user_names(ctx.session, {str(cadre.assessed_by)}).get(str(cadre.assessed_by))
    return out


@router.get("/cadres", response_model=CadrePage)
def list_cadres(
    ctx: Ctx = permit(CADRE_READ),
    q: Search = None,
    unit_id: UnitQ = None,
    area: Area = None,
    posted: bool | None = None,
    role: Role = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> CadrePage:
    statement = queries.cadre_statement(protector(ctx), q=q, unit_id=unit_id, area=area, posted=posted, role=role)
    items, next_cursor = queries.page(ctx.session, statement, cursor=cursor, limit=limit)
    return CadrePage(items=[CadreOut.model_validate(c) for c in items], next_cursor=next_cursor)


@router.get("/cadres/export.{fmt}", response_class=Response)
def export_cadres(
    fmt: Literal["csv", "xlsx"],
    ctx: Ctx = permit(CADRE_READ),
    q: Search = None,
    unit_id: UnitQ = None,
    area: Area = None,
    posted: bool | None = None,
    role: Role = None,
    unmask: bool = False,
    reason: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """The filtered cadres as CSV or Excel; ID numbers masked unless revealed with a reason."""
    check_unmask(ctx, unmask, reason, PERSON_UNMASK)
    filters = {"q": q, "unit_id": unit_id, "area": area, "posted": posted, "role": role}
    record_list_export(ctx, "cadres", filters, unmask, reason)
    rows = queries.stream(ctx.session, queries.cadre_statement(protector(ctx), **filters))
    if unmask:
        rows = revealing(rows, protector(ctx))  # type: ignore[arg-type]
    return exporting.response(fmt, "cadres", cadre_columns(unmask, all_unit_names(ctx.session)), rows)


@router.post("/cadres", response_model=CadreDetail, status_code=201)
def create_cadre(body: CadreIn, ctx: Ctx = permit(CADRE_WRITE)) -> CadreDetail:
    return detail(ctx, service.create_cadre(ctx.session, actor=ctx.principal, protector=protector(ctx), data=body))


@router.get("/cadres/{county_code}/{cadre_id}", response_model=CadreDetail)
def get_cadre(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(CADRE_READ)) -> CadreDetail:
    return detail(ctx, service.access_cadre(ctx.session, county_code, cadre_id))


@router.patch("/cadres/{county_code}/{cadre_id}", response_model=CadreDetail)
def update_cadre(
    county_code: CountyCode, cadre_id: RowId, body: CadrePatch, ctx: Ctx = permit(CADRE_WRITE)
) -> CadreDetail:
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    return detail(
        ctx, service.update_cadre(ctx.session, actor=ctx.principal, protector=protector(ctx), cadre=cadre, data=body)
    )


@router.put("/cadres/{county_code}/{cadre_id}/profile", response_model=ProfileOut)
def assess_cadre(
    county_code: CountyCode, cadre_id: RowId, body: ProfileIn, ctx: Ctx = permit(CADRE_ASSESS)
) -> ProfileOut:
    """Record or change the dispatching unit's assessment of the five inner factors (1–5)."""
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    return profile_out(ctx, assessment.assess_cadre(ctx.session, actor=ctx.principal, cadre=cadre, data=body))


@router.get("/cadres/{county_code}/{cadre_id}/history", response_model=ChangePage)
def cadre_history(
    county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(CADRE_READ), cursor: Cursor = None, limit: Limit = 50
) -> ChangePage:
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    items, next_cursor = queries.history_of(ctx.session, cadre, cursor=cursor, limit=limit)
    return ChangePage(items=[ChangeOut.model_validate(c) for c in items], next_cursor=next_cursor)


@router.get("/cadres/{county_code}/{cadre_id}/postings", response_model=list[PostingOut])
def list_postings(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(CADRE_READ)) -> list[PostingOut]:
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    return [PostingOut.model_validate(p) for p in postings.postings_of(ctx.session, cadre)]


@router.post("/cadres/{county_code}/{cadre_id}/postings", response_model=PostingOut, status_code=201)
def post_cadre(county_code: CountyCode, cadre_id: RowId, body: PostingIn, ctx: Ctx = permit(CADRE_WRITE)) -> PostingOut:
    """Post the cadre to a village (they must have no open posting)."""
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    return PostingOut.model_validate(postings.post_cadre(ctx.session, actor=ctx.principal, cadre=cadre, data=body))


@router.post("/postings/{county_code}/{posting_id}/end", response_model=PostingOut)
def end_posting(
    county_code: CountyCode, posting_id: RowId, body: PostingEnd, ctx: Ctx = permit(CADRE_WRITE)
) -> PostingOut:
    """End an open posting with its reason; the cadre returns to the county."""
    posting, cadre = postings.access_posting(ctx.session, county_code, posting_id)
    ended = postings.end_posting(ctx.session, actor=ctx.principal, posting=posting, cadre=cadre, data=body)
    out = PostingOut.model_validate(ended.posting)
    out.helpers = ReleaseOut.model_validate(ended.helpers)
    return out


@router.post("/cadres/{county_code}/{cadre_id}/reveal", response_model=RevealOut)
def reveal_cadre(
    county_code: CountyCode, cadre_id: RowId, body: CadreRevealIn, ctx: Ctx = permit(PERSON_UNMASK)
) -> RevealOut:
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    value = service.reveal(
        ctx.session, actor=ctx.principal, protector=protector(ctx), cadre=cadre, field=body.field, reason=body.reason
    )
    return RevealOut(field=body.field, value=value)


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"cadre_id": Cadre, "posting_id": CadrePosting})
