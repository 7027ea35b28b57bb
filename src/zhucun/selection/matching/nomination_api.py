"""Nominations many at once, a nomination withdrawn, and a village unmarked, through the API
(the same use cases as the nominations and term pages)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from zhucun.core.addressing import CountyCode
from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import NotFound
from zhucun.core.i18n import _l
from zhucun.core.pagination import int_id
from zhucun.selection.permissions import NOMINATE, VILLAGE_MARK

from . import marking, nominations
from .schemas import NominatedOut, NominationsIn

router = APIRouter(prefix="/api/v1/selection", tags=["selection"])
Term = Annotated[int, Path(ge=2000, le=2100, description="the year the term starts")]
Code = Annotated[str, Path(pattern=r"^\d{12}$")]
RowId = Annotated[int, int_id(2**63 - 1)]


@router.post("/{term}/nominations", response_model=NominatedOut)
def nominate_many(term: Term, body: NominationsIn, ctx: Ctx = permit(NOMINATE)) -> NominatedOut:
    """Nominate cadres for the term; those already nominated are skipped and counted."""
    keys = [(c.county_code, c.cadre_id) for c in body.cadres]
    outcome = nominations.nominate_many(ctx.session, actor=ctx.principal, term=term, cadres=keys, note=body.note)
    return NominatedOut(nominated=outcome.done, skipped=outcome.skipped)


@router.delete("/{year}/cadres/{county_code}/{nominee_id}/nomination", status_code=204)
def withdraw(year: Term, county_code: CountyCode, nominee_id: RowId, ctx: Ctx = permit(NOMINATE)) -> Response:
    """Withdraw a cadre's nomination; refused once the cadre is proposed or the matching approved."""
    outcome = nominations.withdraw(ctx.session, actor=ctx.principal, term=year, cadres=[(county_code, nominee_id)])
    if not outcome.done:
        raise NotFound(_l("The cadre is not nominated for this term."), field="cadre_id")
    return Response(status_code=204)


@router.delete("/{term}/villages/{code}", status_code=204)
def unmark(term: Term, code: Code, ctx: Ctx = permit(VILLAGE_MARK)) -> Response:
    """Take a village off the term's marked villages while the proposal is not approved."""
    marking.unmark_village(ctx.session, actor=ctx.principal, code=code, term=term)
    return Response(status_code=204)
