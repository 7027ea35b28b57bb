"""The nominations page: a dispatching unit's clerk (its own cadres) or the county's
organisation department (the county's, with a unit filter) ticks cadres and nominates them for
a term, or withdraws them — one form, two buttons, one transaction each — and reads for every
listed cadre whether it may be first secretary or team member, each failed rule named."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from zhucun.accounts.units import queries as units
from zhucun.core import export as exporting
from zhucun.core.deps import Ctx, permit
from zhucun.core.disclosure import record_list_export
from zhucun.core.errors import DomainError, Invalid
from zhucun.core.export import Column
from zhucun.core.forms import attempt
from zhucun.core.i18n import _l
from zhucun.core.pagination import count
from zhucun.core.web import redirect, render
from zhucun.divisions.models import Division
from zhucun.selection.cadres import queries as cadre_queries
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.permissions import NOMINATE

from . import nominations, nominees

router = APIRouter(include_in_schema=False)
Term = Annotated[int, Path(ge=2000, le=2100)]
FILTERS = ("q", "unit_id", "nominated")
PAGE = 50
EXPORT_BATCH = 1000  # cadres judged per query round in an export


def _filters(q: str | None, unit_id: str | None, nominated: str | None) -> dict[str, Any]:
    return {
        "q": (q or "").strip() or None,
        "unit_id": int(unit_id) if unit_id else None,
        "nominated": {"1": True, "0": False}.get(nominated or ""),
    }


def _unit_choices(ctx: Ctx) -> list[Any]:
    """The unit filter: the organisation department's; a unit's account sees its own only."""
    own = {area.unit_id for area in ctx.scope.areas}
    return units.choices(ctx.session) if None in own else []


def _context(ctx: Ctx, year: int, filters: dict[str, Any], cursor: str | None) -> dict[str, Any]:
    query = nominees.statement(year, **filters)
    cadres, next_cursor = cadre_queries.page(ctx.session, query, cursor=cursor, limit=PAGE)
    return {
        "year": year,
        "filters": filters,
        "rows": nominees.rows(ctx.session, cadres, year),
        "total": count(ctx.session, query),
        "next_cursor": next_cursor,
        "units": _unit_choices(ctx),
        "unit_names": units.names(ctx.session, {c.unit_id for c in cadres}),
        "errors": {},
        "done": None,
    }


@router.get("/selection/nominations")
def nominations_page(
    ctx: Ctx = permit(NOMINATE),
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    q: Annotated[str | None, Query(max_length=50)] = None,
    unit_id: Annotated[str | None, Query(pattern=r"^\d{0,9}$")] = None,
    nominated: Annotated[str | None, Query(pattern=r"^[01]?$")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    done: Annotated[str | None, Query(pattern=r"^(nominate|withdraw)?$")] = None,
    n: Annotated[int, Query(ge=0, le=nominations.MAX_SELECTED)] = 0,
    skipped: Annotated[int, Query(ge=0, le=nominations.MAX_SELECTED)] = 0,
) -> Response:
    context = _context(ctx, year or date.today().year, _filters(q, unit_id, nominated), cursor)
    if done:
        context["done"] = {"action": done, "n": n, "skipped": skipped}
    return render(ctx.request, "selection/nominations.html", context)


@router.get("/selection/nominations/export.{fmt}", response_class=Response)
def nominations_export(
    fmt: Literal["csv", "xlsx"],
    ctx: Ctx = permit(NOMINATE),
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    q: Annotated[str | None, Query(max_length=50)] = None,
    unit_id: Annotated[str | None, Query(pattern=r"^\d{0,9}$")] = None,
    nominated: Annotated[str | None, Query(pattern=r"^[01]?$")] = None,
) -> Response:
    """Every cadre the page lists with these filters (all its pages), as CSV or Excel."""
    year = year or date.today().year
    filters = _filters(q, unit_id, nominated)
    record_list_export(ctx, "nominations", {"year": year, **filters})
    cadres = list(ctx.session.scalars(nominees.statement(year, **filters).order_by(Cadre.division_code, Cadre.id)))
    batches = (cadres[k : k + EXPORT_BATCH] for k in range(0, len(cadres), EXPORT_BATCH))
    rows = [r for batch in batches for r in nominees.rows(ctx.session, batch, year)]
    units_named = units.names(ctx.session, {c.unit_id for c in cadres})
    places = dict(
        ctx.session.execute(
            select(Division.code, Division.name).where(Division.code.in_({r["village"] for r in rows if r["village"]}))
        ).all()
    )
    columns = [
        Column(_l("Full name"), lambda r: r["cadre"].name),
        Column(_l("Unit"), lambda r: units_named.get(r["cadre"].unit_id, "")),
        Column(_l("Nominated"), lambda r: r["nominated"]),
        Column(_l("Note"), lambda r: r["note"]),
        Column(_l("Posted to"), lambda r: places.get(r["village"] or "", "")),
        Column(_l("First secretary"), lambda r: r["first_secretary"]),
        Column(_l("Team member"), lambda r: r["member"]),
        Column(_l("Rules not met"), lambda r: "；".join(f["label"] for f in r["faults"])),
    ]
    return exporting.response(fmt, f"nominations-{year}", columns, rows)


@router.post("/selection/{term}/nominations")
async def act(term: Term, ctx: Ctx = permit(NOMINATE)) -> Response:
    form = await ctx.request.form()
    values = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != "cadre"}
    picked = [v for v in form.getlist("cadre") if isinstance(v, str)]
    return await run_in_threadpool(_act, ctx, term, values, picked)


def _keys(picked: list[str]) -> list[tuple[str, int]]:
    """The ticked boxes, each ``county/id``; anything else is refused at the list."""
    keys = []
    for value in picked:
        county, _, cadre_id = value.partition("/")
        if not (len(county) == 6 and county.isdigit() and cadre_id.isdigit() and len(cadre_id) < 19):
            raise Invalid(_l("Choose cadres from the list."), field="cadres")
        keys.append((county, int(cadre_id)))
    return keys


def _act(ctx: Ctx, term: int, values: dict[str, str], picked: list[str]) -> Response:
    action = values.get("action")
    note = (values.get("note") or "").strip()[:200] or None
    outcome: list[nominations.Outcome] = []
    status = [422]

    def run() -> None:
        if action not in ("nominate", "withdraw"):
            raise Invalid(_l("Choose cadres from the list."), field="action")
        keys = _keys(picked)
        try:
            if action == "nominate":
                done = nominations.nominate_many(ctx.session, actor=ctx.principal, term=term, cadres=keys, note=note)
            else:
                done = nominations.withdraw(ctx.session, actor=ctx.principal, term=term, cadres=keys)
        except DomainError as exc:
            # The page answers with the error's own status: a cadre out of reach 404 like a
            # missing one, a withdrawal refused 409, a bad choice 422.
            status[0] = exc.status
            raise
        outcome.append(done)

    errors = attempt(ctx.session, run, "cadres")
    filters = {k: values[k] for k in FILTERS if values.get(k)}
    if not errors:
        done = {"done": action, "n": outcome[0].done, "skipped": outcome[0].skipped}
        return redirect(f"/selection/nominations?{urlencode({'year': term, **filters, **done})}", ctx.request)
    context = _context(ctx, term, _filters(filters.get("q"), filters.get("unit_id"), filters.get("nominated")), None)
    context["errors"] = errors
    return render(ctx.request, "selection/nominations.html", context, status=status[0])
