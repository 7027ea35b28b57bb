"""Unit pages: the list with search and filters, details with pairings, cadre counts and
history, registration and edit forms with errors next to the fields, pairings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from zhucun.accounts.units import queries, service
from zhucun.accounts.units.permissions import UNIT_READ, UNIT_WRITE
from zhucun.accounts.units.schemas import UNIT_KIND, UNIT_LEVEL, PairingIn, UnitIn, UnitPatch
from zhucun.core import pickers
from zhucun.core.audit import AuditEntry
from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import DomainError, NotFound
from zhucun.core.forms import attempt, clean, domain_errors
from zhucun.core.pagination import count, int_id
from zhucun.core.permissions import AUDIT_READ
from zhucun.core.web import ENV, field_errors, form_values, redirect, render, render_names
from zhucun.divisions.lookup import any_division
from zhucun.divisions.models import Division
from zhucun.divisions.queries import named

router = APIRouter(include_in_schema=False)
UnitId = Annotated[int, int_id()]
ENV.globals.update(unit_levels=UNIT_LEVEL, unit_kinds=UNIT_KIND)


def _seats(ctx: Ctx) -> list[Division]:
    """Divisions of the caller's area that may seat a unit (county and above)."""
    return list(
        ctx.session.scalars(
            select(Division)
            .where(Division.level.in_(("province", "prefecture", "county")))
            .order_by(Division.code)
            .limit(200)
        )
    )


def _common(ctx: Ctx) -> dict[str, Any]:
    return {"can_write": ctx.principal.can(UNIT_WRITE)}


@router.get("/registry/units")
def units(
    ctx: Ctx = permit(UNIT_READ),
    q: Annotated[str | None, Query(max_length=50)] = None,
    level: Annotated[str | None, Query(max_length=20)] = None,
    kind: Annotated[str | None, Query(max_length=20)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    filters = {
        "q": q,
        "level": level if level in UNIT_LEVEL.items else None,
        "kind": kind if kind in UNIT_KIND.items else None,
    }
    statement = queries.unit_statement(**filters)
    items, next_cursor = queries.page(ctx.session, statement, cursor=cursor, limit=30)
    total = count(ctx.session, statement)
    names = dict(
        ctx.session.execute(
            select(Division.code, Division.name).where(
                Division.code.in_({u.division_code for u in items if u.division_code})
            )
        ).all()
    )
    return render(
        ctx.request,
        "units/list.html",
        {
            **_common(ctx),
            "items": items,
            "total": total,
            "next_cursor": next_cursor,
            "filters": filters,
            "seat_names": names,
        },
    )


@router.get("/registry/units/pick")
def pick(ctx: Ctx = permit(UNIT_READ)) -> Response:
    """A unit picker's matches: units of the caller's area whose name contains what was typed."""
    text = pickers.typed(ctx.request)
    found = queries.page(ctx.session, queries.unit_statement(q=text), cursor=None, limit=12)[0] if text else []
    names = render_names(ctx)
    names.prefetch(u.division_code for u in found)
    picks = [{"code": str(u.id), "label": u.name, "detail": names.division_path(u.division_code)} for u in found]
    return render(ctx.request, "_picks.html", {"picks": picks, "typed": text})


@router.get("/registry/units/new")
def new_unit(ctx: Ctx = permit(UNIT_WRITE)) -> Response:
    return render(ctx.request, "units/form.html", {"unit": None, "form": {}, "errors": {}, "seats": _seats(ctx)})


@router.post("/registry/units/new")
async def create_unit(ctx: Ctx = permit(UNIT_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_create, ctx, form)


def _create(ctx: Ctx, form: dict[str, str]) -> Response:
    values = clean(form)
    values["paired_counties"] = [values.pop("paired_county")] if values.get("paired_county") else []
    try:
        unit = service.create_unit(ctx.session, actor=ctx.principal, data=UnitIn.model_validate(values))
    except ValidationError as exc:
        return _form_again(ctx, None, form, field_errors(exc))
    except NotFound:
        raise  # another area's division or unit: the same 404 page as a missing one, not a field error
    except DomainError as exc:
        return _form_again(ctx, None, form, {exc.field or "": exc.message})
    return redirect(f"/registry/units/{unit.id}", ctx.request)


def _form_again(ctx: Ctx, unit: Any, form: dict[str, str], errors: dict[str, str]) -> Response:
    errors = {("paired_county" if k.startswith("paired_counties") else k): v for k, v in errors.items()}
    return render(
        ctx.request,
        "units/form.html",
        {"unit": unit, "form": form, "errors": errors, "seats": _seats(ctx)},
        status=422,
    )


def _detail(ctx: Ctx, unit_id: int, **extra: Any) -> dict[str, Any]:
    unit = service.access_unit(ctx.session, unit_id)
    history: list[AuditEntry] = []
    if ctx.principal.can(AUDIT_READ) or ctx.principal.can(UNIT_WRITE):
        history = list(
            ctx.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "unit", AuditEntry.entity_id == str(unit.id))
                .order_by(AuditEntry.at.desc())
                .limit(20)
            )
        )
    # The seat's name is public; a paired county's reader may not have the seat in its area.
    seat = any_division(ctx.session, unit.division_code)
    return {
        **_common(ctx),
        "unit": unit,
        "seat": seat,
        "history": history,
        "form": {},
        "errors": {},
        "pairings": queries.pairings_of(ctx.session, [unit.id]).get(unit.id, []),
        "counts": queries.cadre_counts(ctx.session, unit.id),
        **extra,
    }


@router.get("/registry/units/{unit_id}")
def unit_page(unit_id: UnitId, ctx: Ctx = permit(UNIT_READ)) -> Response:
    return render(ctx.request, "units/detail.html", _detail(ctx, unit_id))


@router.get("/registry/units/{unit_id}/edit")
def edit_unit_form(unit_id: UnitId, ctx: Ctx = permit(UNIT_WRITE)) -> Response:
    unit = service.access_unit(ctx.session, unit_id)
    return render(ctx.request, "units/form.html", {"unit": unit, "form": None, "errors": {}, "seats": _seats(ctx)})


@router.post("/registry/units/{unit_id}/edit")
async def edit_unit(unit_id: UnitId, ctx: Ctx = permit(UNIT_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_edit, ctx, unit_id, form)


def _edit(ctx: Ctx, unit_id: int, form: dict[str, str]) -> Response:
    unit = service.access_unit(ctx.session, unit_id)
    try:
        service.update_unit(ctx.session, actor=ctx.principal, unit=unit, data=UnitPatch.model_validate(clean(form)))
    except ValidationError as exc:
        return _form_again(ctx, unit, form, field_errors(exc))
    except DomainError as exc:
        return _form_again(ctx, unit, form, domain_errors(exc))
    return redirect(f"/registry/units/{unit_id}", ctx.request)


@router.post("/registry/units/{unit_id}/pairings")
async def pair_county(unit_id: UnitId, ctx: Ctx = permit(UNIT_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_pair, ctx, unit_id, form)


def _pair(ctx: Ctx, unit_id: int, form: dict[str, str]) -> Response:
    unit = service.access_unit(ctx.session, unit_id)

    def step() -> None:
        county = pickers.resolve(form, "division_code", lambda text: named(ctx.session, text, "county"))
        data = PairingIn.model_validate(clean({**form, "division_code": county or ""}))
        service.pair_county(ctx.session, actor=ctx.principal, unit=unit, data=data)

    errors = attempt(ctx.session, step, "division_code")
    if not errors:
        return redirect(f"/registry/units/{unit_id}", ctx.request)
    return render(ctx.request, "units/detail.html", _detail(ctx, unit_id, form=form, errors=errors), status=422)


@router.post("/registry/units/{unit_id}/pairings/{county}/delete")
def unpair_county(
    unit_id: UnitId, county: Annotated[str, Path(pattern=r"^\d{12}$")], ctx: Ctx = permit(UNIT_WRITE)
) -> Response:
    unit = service.access_unit(ctx.session, unit_id)
    service.unpair_county(ctx.session, actor=ctx.principal, unit=unit, county_code=county)
    return redirect(f"/registry/units/{unit_id}", ctx.request)
