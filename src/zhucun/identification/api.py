"""Identification API: cases (open, act, batch, list, one) and public notices with objections."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.addressing import CountyCode, moved
from ..core.deps import Ctx, client_ip, get_session, permit, public
from ..core.errors import NotFound
from ..core.pagination import int_id
from ..core.scope import access, access_by
from ..divisions.models import Division
from ..procedures import service as procedures
from ..procedures.models import Case, Notice
from . import queries, service
from .permissions import CASE_ACT, CASE_READ, CASE_WRITE
from .schemas import ActionIn, BatchIn, CaseIn, CaseOut, CasePage, NoticeOut, ObjectionIn

router = APIRouter(prefix="/api/v1", tags=["identification"])
RowId = Annotated[int, int_id(2**63 - 1)]
Step = Annotated[str, Path(pattern=r"^[a-z0-9_]{1,30}$")]
Village = Annotated[str, Path(pattern=r"^\d{12}$", description="the village's 12-digit code")]


@router.get("/cases", response_model=CasePage)
def list_cases(
    ctx: Ctx = permit(CASE_READ),
    village: str | None = None,
    step: str | None = None,
    kind: str | None = None,
    late: Literal["orange", "red"] | None = None,
    status: Literal["open", "approved", "refused"] | None = "open",
    cursor: str | None = None,
    limit: int = 50,
) -> CasePage:
    """Cases by village (or any division prefix), step, procedure and lateness, by keyset."""
    return queries.cases(
        ctx.session,
        today=date.today(),
        village=village,
        step=step,
        kind=kind,
        late=late,
        status=status,
        cursor=cursor,
        limit=limit,
    )


@router.post("/cases", response_model=CaseOut, status_code=201)
def open_case(body: CaseIn, ctx: Ctx = permit(CASE_WRITE)) -> CaseOut:
    """Open a registration, monitoring or exit case for a household."""
    case = service.open_case(
        ctx.session, actor=ctx.principal, data=body, on=date.today(), official_years=ctx.settings.kin_official_years
    )
    return queries.one(ctx.session, case, date.today())


@router.get("/cases/{county_code}/{case_id}", response_model=CaseOut)
def get_case(county_code: CountyCode, case_id: RowId, ctx: Ctx = permit(CASE_READ)) -> CaseOut:
    return queries.one(ctx.session, procedures.access_case(ctx.session, county_code, case_id), date.today())


@router.post("/cases/{county_code}/{case_id}/actions", response_model=CaseOut)
def act(county_code: CountyCode, case_id: RowId, body: ActionIn, ctx: Ctx = permit(CASE_ACT)) -> CaseOut:
    """Pass the step, sign for a body, reject with a reason, or add a note."""
    case = procedures.access_case(ctx.session, county_code, case_id)
    case = service.act(ctx.session, actor=ctx.principal, case=case, data=body, on=date.today())
    return queries.one(ctx.session, case, date.today())


@router.post("/villages/{code}/steps/{step}/actions", response_model=list[CaseOut])
def act_many(code: Village, step: Step, body: BatchIn, ctx: Ctx = permit(CASE_ACT)) -> list[CaseOut]:
    """The same action on every open case of the village at a step (or those of ``case_ids``
    among them), all or nothing: a township passes forty cases of one village at once."""
    village = access(ctx.session, Division, code)
    cases = queries.open_at(ctx.session, village.code, step, kind=body.kind, ids=body.case_ids)
    data = ActionIn(**body.model_dump(exclude={"case_ids", "kind"}))
    done = service.act_many(ctx.session, actor=ctx.principal, cases=cases, data=data, on=date.today())
    return queries.page_of(ctx.session, done, date.today())


@router.get("/public/villages/{code}/notices", response_model=list[NoticeOut])
def public_notices(code: Village, session: Session = Depends(get_session), _: None = public) -> list[NoticeOut]:
    """A village's public notices, running and ended, without login."""
    return queries.notices_of(session, code, date.today())


@router.post("/public/notices/{county_code}/{notice_id}/objections", status_code=201)
def object_to(
    county_code: CountyCode,
    notice_id: RowId,
    body: ObjectionIn,
    request: Request,
    session: Session = Depends(get_session),
    _: None = public,
) -> dict[str, str]:
    """Object to a running notice, anonymously if one wishes; the case is reopened."""
    found = select(Notice).where(Notice.county_code == county_code, Notice.id == notice_id)
    notice = session.scalars(found).one_or_none()
    if notice is None:
        raise NotFound()
    procedures.object_to(
        session,
        notice=notice,
        text=body.text,
        name=body.name,
        contact=body.contact,
        address=client_ip(request),
        on=date.today(),
    )
    return {"status": "received"}


__all__ = ["Case", "access_by"]


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"case_id": Case, "notice_id": Notice})
