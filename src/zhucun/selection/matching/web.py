"""The selection page: a county's term — marked villages, the proposal with each match's
reasons beside the greedy baseline, a post changed by hand (refused with the rule named),
and the approval that creates the postings."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from zhucun.core.deps import Ctx, permit
from zhucun.core.forms import attempt
from zhucun.core.scope import access
from zhucun.core.web import form_values, redirect, render
from zhucun.divisions.models import Division
from zhucun.selection.permissions import MATCH_APPROVE, MATCH_READ, MATCH_WRITE, NOMINATE, VILLAGE_MARK

from . import loader, queries, refusals, service
from .schemas import ApproveIn, EditIn
from .settings import NEED

router = APIRouter(include_in_schema=False)
Term = Annotated[int, Path(ge=2000, le=2100)]
Code = Annotated[str, Path(pattern=r"^\d{12}$")]


def _counties(ctx: Ctx) -> list[Division]:
    from sqlalchemy import select

    return list(ctx.session.scalars(select(Division).where(Division.level == "county").order_by(Division.code)))


def _context(
    ctx: Ctx, year: int, county: str | None, errors: dict[str, str], form: dict[str, Any] | None = None
) -> dict[str, Any]:
    counties = _counties(ctx)
    county = county or (counties[0].code if counties else None)
    context: dict[str, Any] = {"year": year, "county": county, "counties": counties, "errors": errors, "need": NEED}
    if county is None:
        return context
    marked = queries.marked(ctx.session, year, county)
    rows = queries.assignments(ctx.session, county, year)
    loaded = loader.load(ctx.session, county, year)
    people, places = queries.names(
        ctx.session, county, [int(c) for c in loaded.instance.cadres.id], [m.village_code for m in marked]
    )
    inst = loaded.instance
    index = {int(c): i for i, c in enumerate(inst.cadres.id)}
    villages = {str(v): i for i, v in enumerate(inst.villages.code)}
    team = [(villages[r.village_code], index[r.cadre_id]) for r in rows if r.cadre_id in index]
    refused: dict[str, list[dict[str, Any]]] = {}
    for item in refusals.listing(inst, loaded.faults, team)["refused"]:
        refused.setdefault(item["village_code"], []).append(item)
    context.update(
        marked=marked,
        refused=refused,
        rows=rows,
        run=queries.run_of(ctx.session, county, year),
        candidates=service.eligibility_report(loaded),
        profiles=loaded.profiles,
        people=people,
        places=places,
        team={m.village_code: sum(1 for r in rows if r.village_code == m.village_code) for m in marked},
        can_write=ctx.principal.can(MATCH_WRITE),
        can_mark=ctx.principal.can(VILLAGE_MARK),
        can_approve=ctx.principal.can(MATCH_APPROVE),
        can_nominate=ctx.principal.can(NOMINATE),
        min_team=inst.rules.team_size,
        # The village whose first secretary is proposed, so that an empty post is offered as a member's.
        with_fs={r.village_code for r in rows if r.role == "first_secretary"},
        form=form or {},
    )
    return context


@router.get("/selection")
def selection_page(
    ctx: Ctx = permit(MATCH_READ),
    year: Annotated[int, Query(ge=2000, le=2100)] = date.today().year,
    county: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None,
) -> Response:
    if county:
        _in_scope(ctx, county)
    return render(ctx.request, "selection/term.html", _context(ctx, year, county, {}))


def _in_scope(ctx: Ctx, code: str) -> None:
    access(ctx.session, Division, code)


def _after(ctx: Ctx, year: int, county: str, errors: dict[str, str], form: dict[str, Any] | None = None) -> Response:
    if not errors:
        return redirect(f"/selection?year={year}&county={county}", ctx.request)
    return render(ctx.request, "selection/term.html", _context(ctx, year, county, errors, form), status=422)


@router.post("/selection/{term}/counties/{county}/defaults")
def mark_defaults(term: Term, county: Code, ctx: Ctx = permit(VILLAGE_MARK)) -> Response:
    _in_scope(ctx, county)
    errors = attempt(
        ctx.session, lambda: service.mark_defaults(ctx.session, actor=ctx.principal, county=county, term=term)
    )
    return _after(ctx, term, county, errors)


@router.post("/selection/{term}/counties/{county}/match")
def run_match(term: Term, county: Code, ctx: Ctx = permit(MATCH_WRITE)) -> Response:
    _in_scope(ctx, county)
    errors = attempt(
        ctx.session, lambda: service.run_match(ctx.session, actor=ctx.principal, area=county, term=term), "match"
    )
    return _after(ctx, term, county, errors)


@router.post("/selection/{term}/villages/{code}/assignments")
async def edit(term: Term, code: Code, ctx: Ctx = permit(MATCH_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_edit, ctx, term, code, form)


def _edit(ctx: Ctx, year: int, code: str, form: dict[str, str]) -> Response:
    _in_scope(ctx, code)

    def act() -> None:
        data = EditIn.model_validate({k: v for k, v in form.items() if v and k != "csrf_token"})
        service.edit_assignment(
            ctx.session,
            actor=ctx.principal,
            code=code,
            term=year,
            role=data.role,
            cadre_id=data.cadre_id,
            replaces=data.replaces,
        )

    return _after(ctx, year, code[:6] + "000000", attempt(ctx.session, act, "cadre_id"))


@router.post("/selection/{term}/counties/{county}/approve")
async def approve(term: Term, county: Code, ctx: Ctx = permit(MATCH_APPROVE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_approve, ctx, term, county, form)


def _approve(ctx: Ctx, year: int, county: str, form: dict[str, str]) -> Response:
    _in_scope(ctx, county)

    def act() -> None:
        data = ApproveIn.model_validate({k: form.get(k) for k in ("start_date", "reason")})
        service.approve(
            ctx.session, actor=ctx.principal, county=county, term=year, start=data.start_date, reason=data.reason
        )

    return _after(ctx, year, county, attempt(ctx.session, act, "approve"))
