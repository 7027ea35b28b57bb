"""The term page's forms for the organisation department: mark one village (picked by name
among the county's villages) or change a marked village's needs, team size and note, and
unmark a village while the proposal is not approved."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from zhucun.core import pickers
from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import Invalid
from zhucun.core.forms import attempt
from zhucun.core.i18n import _l
from zhucun.divisions.queries import named
from zhucun.selection.permissions import VILLAGE_MARK

from . import marking, service
from .web import _after, _in_scope

router = APIRouter(include_in_schema=False)
Term = Annotated[int, Path(ge=2000, le=2100)]
Code = Annotated[str, Path(pattern=r"^\d{12}$")]


class MarkForm(BaseModel):
    needs: list[str] = Field(default_factory=list, max_length=20)
    team_size: int = Field(ge=1, le=20)
    note: str | None = Field(None, max_length=200)


@router.post("/selection/{term}/counties/{county}/villages")
async def mark(term: Term, county: Code, ctx: Ctx = permit(VILLAGE_MARK)) -> Response:
    form = await ctx.request.form()
    values: dict[str, Any] = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != "needs"}
    values["needs"] = [v for v in form.getlist("needs") if isinstance(v, str)]
    return await run_in_threadpool(_mark, ctx, term, county, values)


def _mark(ctx: Ctx, year: int, county: str, values: dict[str, Any]) -> Response:
    _in_scope(ctx, county)

    def act() -> None:
        code = pickers.resolve(values, "village_code", lambda text: named(ctx.session, text, "village"))
        if not code or code[:6] != county[:6]:
            raise Invalid(_l("Pick a village of this county."), field="village_code")
        data = MarkForm.model_validate({**values, **{k: values.get(k) or None for k in ("team_size", "note")}})
        service.mark_village(
            ctx.session,
            actor=ctx.principal,
            code=code,
            term=year,
            needs=data.needs,
            team_size=data.team_size,
            note=(data.note or "").strip() or None,
        )

    return _after(ctx, year, county, attempt(ctx.session, act, "village_code"), values)


@router.post("/selection/{term}/villages/{code}/unmark")
def unmark(term: Term, code: Code, ctx: Ctx = permit(VILLAGE_MARK)) -> Response:
    _in_scope(ctx, code)
    errors = attempt(
        ctx.session, lambda: marking.unmark_village(ctx.session, actor=ctx.principal, code=code, term=term), "code"
    )
    return _after(ctx, term, code[:6] + "000000", errors)
