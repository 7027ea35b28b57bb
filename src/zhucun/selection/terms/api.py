"""Terms and recall API: terms ending, rotation, handover checklists, the lists (under
``/api/v1/terms``) and recalls with their replacement (under ``/api/v1/recalls``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from zhucun.core.deps import Ctx, permit
from zhucun.core.pagination import int_id
from zhucun.procedures.engine import Action
from zhucun.selection.permissions import (
    HANDOVER_WRITE,
    LIST_WRITE,
    RECALL_ACT,
    RECALL_PROPOSE,
    TERM_READ,
    TERM_ROTATE,
)

from . import queries, recall, service, views
from .schemas import (
    EndedOut,
    EndingOut,
    HandoverOut,
    ListEntryOut,
    ListIn,
    RecallActIn,
    RecallIn,
    RecallOut,
    ReplaceIn,
    RotateIn,
    RotateOut,
    TermOut,
    TickIn,
)

router = APIRouter(tags=["selection"])
RowId = Annotated[int, int_id(2**63 - 1)]
Code12 = Annotated[str | None, Query(pattern=r"^\d{12}$")]


@router.get("/api/v1/terms/ending", response_model=EndingOut)
def ending(
    ctx: Ctx = permit(TERM_READ), county: Code12 = None, days: Annotated[int | None, Query(ge=0, le=3650)] = None
) -> EndingOut:
    """Open postings of the county whose term ends within ``days`` days (default: the province's warning window)."""
    county, days = views.county_and_days(ctx, county, days)
    rows = queries.ending(ctx.session, county, days) if county else []
    return EndingOut(county=county or "", days=days, total=len(rows), items=[TermOut(**r) for r in rows])


@router.get("/api/v1/terms/ended", response_model=EndedOut)
def ended(ctx: Ctx = permit(TERM_READ), county: Code12 = None) -> EndedOut:
    """Open postings of the county whose term has ended and that rotation has not ended yet,
    the longest overdue first, each with its days over."""
    code = views.default_county(ctx, county)
    rows = queries.ended(ctx.session, code) if code else []
    return EndedOut(county=code or "", total=len(rows), items=[TermOut(**r) for r in rows])


@router.post("/api/v1/terms/counties/{county}/rotate", response_model=RotateOut)
def rotate(county: str, body: RotateIn, ctx: Ctx = permit(TERM_ROTATE)) -> RotateOut:
    """End the county's postings of the term that have reached their end, release the cadres,
    mark the villages for the next term's matching and open the handover checklists."""
    summary = service.rotate(
        ctx.session, actor=ctx.principal, county=county, term=body.term, on=body.on or date.today(), reason=body.reason
    )
    return RotateOut(**summary)


@router.get("/api/v1/terms/handovers/{county_code}/{posting_id}", response_model=HandoverOut)
def handover(county_code: str, posting_id: RowId, ctx: Ctx = permit(TERM_READ)) -> HandoverOut:
    """A posting's handover checklist: each item, ticked by whom and when."""
    return HandoverOut(**views.handover(ctx.session, county_code, posting_id))


@router.post("/api/v1/terms/handovers/{county_code}/{posting_id}/items/{item}", response_model=HandoverOut)
def tick(
    county_code: str, posting_id: RowId, item: str, body: TickIn, ctx: Ctx = permit(HANDOVER_WRITE)
) -> HandoverOut:
    """Tick one item (the checklist opens with the first tick if the term end is still ahead)."""
    posting, cadre = views.posting(ctx.session, county_code, posting_id)
    service.tick(
        ctx.session, actor=ctx.principal, posting=posting, cadre=cadre, item=item, note=body.note, on=date.today()
    )
    return HandoverOut(**views.handover(ctx.session, county_code, posting_id))


@router.post("/api/v1/terms/handovers/{county_code}/{handover_id}/close", response_model=HandoverOut)
def close(county_code: str, handover_id: RowId, ctx: Ctx = permit(HANDOVER_WRITE)) -> HandoverOut:
    """Close the checklist as handed over; refused with the first item not ticked."""
    posting, _cadre = views.posting(ctx.session, county_code, handover_id)
    service.close_handover(ctx.session, actor=ctx.principal, posting=posting, on=date.today())
    return HandoverOut(**views.handover(ctx.session, county_code, handover_id))


@router.get("/api/v1/terms/lists", response_model=list[ListEntryOut])
def lists(
    ctx: Ctx = permit(TERM_READ), term: Annotated[int | None, Query(ge=2000, le=2100)] = None, kind: str | None = None
) -> list[ListEntryOut]:
    """The commendation, promotion-priority and recall lists of the reader's counties."""
    return [ListEntryOut(**r) for r in views.list_rows(ctx, term, kind)]


@router.post("/api/v1/terms/lists/{county_code}", response_model=ListEntryOut, status_code=201)
def add_to_list(county_code: str, body: ListIn, ctx: Ctx = permit(LIST_WRITE)) -> ListEntryOut:
    """Put a cadre of the county on a term's list, with the reason (source: entered by hand)."""
    cadre = views.cadre(ctx.session, county_code, body.cadre_id)
    entry = service.put_on_list(
        ctx.session, actor=ctx.principal, cadre=cadre, term=body.term, kind=body.kind, reason=body.reason
    )
    return ListEntryOut(**views.entry_row(entry, cadre.name))


@router.get("/api/v1/recalls", response_model=list[RecallOut])
def recalls(ctx: Ctx = permit(TERM_READ), status: str | None = None) -> list[RecallOut]:
    """Recall cases of the reader's county, the latest first."""
    county = views.default_county(ctx)
    found = recall.recalls(ctx.session, county, status) if county else []
    return [views.recall_out(ctx, c) for c in found]


@router.post("/api/v1/recalls", response_model=RecallOut, status_code=201)
def propose(body: RecallIn, ctx: Ctx = permit(RECALL_PROPOSE)) -> RecallOut:
    """The county leading group proposes to recall a posted cadre, with its reasons."""
    posting, cadre = views.posting(ctx.session, body.county_code, body.posting_id)
    case = recall.propose(
        ctx.session, actor=ctx.principal, posting=posting, cadre=cadre, reasons=body.reasons, on=date.today()
    )
    return views.recall_out(ctx, case)


@router.get("/api/v1/recalls/{county_code}/{recall_id}", response_model=RecallOut)
def show(county_code: str, recall_id: RowId, ctx: Ctx = permit(TERM_READ)) -> RecallOut:
    return views.recall_out(ctx, views.recall_case(ctx.session, county_code, recall_id))


@router.post("/api/v1/recalls/{county_code}/{recall_id}/actions", response_model=RecallOut)
def act(county_code: str, recall_id: RowId, body: RecallActIn, ctx: Ctx = permit(RECALL_ACT)) -> RecallOut:
    """The dispatching unit carries the recall out (pass) or sends it back (reject, with reasons)."""
    case = views.recall_case(ctx.session, county_code, recall_id)
    action = Action(body.action, date.today(), reason=body.reason)
    case = recall.act(ctx.session, actor=ctx.principal, case=case, action=action)
    return views.recall_out(ctx, case)


@router.post("/api/v1/recalls/{county_code}/{recalled_id}/replacement", response_model=RecallOut)
def replace(county_code: str, recalled_id: RowId, body: ReplaceIn, ctx: Ctx = permit(RECALL_PROPOSE)) -> RecallOut:
    """Post the proposed replacement for the rest of the recalled cadre's term."""
    case = views.recall_case(ctx.session, county_code, recalled_id)
    recall.approve_replacement(ctx.session, actor=ctx.principal, case=case, start=body.start_date, reason=body.reason)
    return views.recall_out(ctx, views.recall_case(ctx.session, county_code, recalled_id))
