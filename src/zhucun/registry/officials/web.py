"""Village official pages: a village's officials (a section of the village's page, loaded
by HTMX, and a page of its own), appointing a resident, ending a term."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from zhucun.core.forms import clean, settle

from ...core.addressing import CountyCode, moved, page
from ...core.deps import Ctx, permit
from ...core.pagination import int_id
from ...core.web import form_values, render
from ..permissions import HOUSEHOLD_READ, HOUSEHOLD_WRITE
from . import queries, service
from .models import VillageOfficial
from .schemas import OfficialIn, TermEnd

router = APIRouter(include_in_schema=False)
Village = Annotated[str, Path(pattern=r"^\d{12}$")]
RowId = Annotated[int, int_id(2**63 - 1)]


def _context(ctx: Ctx, code: str, **extra: Any) -> dict[str, Any]:
    village = service.access_village(ctx.session, code)
    can_write = ctx.principal.can(HOUSEHOLD_WRITE)
    return {
        "village": village,
        "can_write": can_write,
        "form": {},
        "errors": {},
        "officials": queries.officials_of(ctx.session, village.code),
        "residents": queries.residents(ctx.session, village.code) if can_write else [],
        **extra,
    }


@router.get("/registry/villages/{code}/officials")
def officials(code: Village, ctx: Ctx = permit(HOUSEHOLD_READ)) -> Response:
    """The village's officials: a whole page, or the section the village's page loads."""
    context = _context(ctx, code)
    partial = ctx.request.headers.get("hx-request") == "true"
    return render(ctx.request, "officials/_section.html" if partial else "officials/page.html", context)


@router.post("/registry/villages/{code}/officials")
async def appoint(code: Village, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_appoint, ctx, code, form)


def _appoint(ctx: Ctx, code: str, form: dict[str, str]) -> Response:
    village = service.access_village(ctx.session, code)
    return settle(
        ctx,
        lambda: service.appoint(
            ctx.session, actor=ctx.principal, village=village, data=OfficialIn.model_validate(clean(form))
        ),
        "member_id",
        then=f"/registry/villages/{code}/officials",
        template="officials/page.html",
        again=lambda errors: _context(ctx, code, form=form, errors=errors),
    )


@router.post("/registry/officials/{county_code}/{official_id}/end")
async def end_term(county_code: CountyCode, official_id: RowId, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_end, ctx, county_code, official_id, form)


def _end(ctx: Ctx, county_code: str, official_id: int, form: dict[str, str]) -> Response:
    official = service.access_official(ctx.session, county_code, official_id)
    code = official.village_code
    return settle(
        ctx,
        lambda: service.end_term(
            ctx.session, actor=ctx.principal, official=official, data=TermEnd.model_validate(clean(form))
        ),
        "term_end",
        then=f"/registry/villages/{code}/officials",
        template="officials/page.html",
        again=lambda errors: _context(ctx, code, form=form, errors=errors, failed=official_id),
    )


# The paths of before answer a redirect to these (core.addressing).
page("official", VillageOfficial, "/registry/officials")
moved(router, {"official_id": VillageOfficial})
