"""Snapshot pages: the frozen years with a form to freeze one, and a comparison of a year
with the current register or a later year — counts per village, transitions, the list."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select

from ...core.db import utcnow
from ...core.deps import Ctx, permit
from ...core.errors import DomainError
from ...core.permissions import Role
from ...core.web import field_errors, redirect, render
from ...divisions.models import Division
from .. import catalogues as cat
from ..permissions import SNAPSHOT_READ, SNAPSHOT_WRITE
from . import queries, service
from .labels import KIND_LABELS, value_label
from .schemas import SnapshotIn

router = APIRouter(include_in_schema=False)
County = Annotated[str, Path(pattern=r"^\d{6}$")]
With = Annotated[str, Query(alias="with", pattern=r"^(current|\d{4})$")]


def _list(ctx: Ctx, *, status: int = 200, **extra: Any) -> Response:
    counties = (
        ctx.session.execute(
            select(Division.code, Division.name).where(Division.level == "county").order_by(Division.code)
        ).all()
        if ctx.principal.can(SNAPSHOT_WRITE)
        else []
    )
    context = {
        "snapshots": queries.snapshots(ctx.session, ctx.scope),
        "counties": counties,
        "can_write": ctx.principal.can(SNAPSHOT_WRITE),
        "is_admin": Role.ADMIN in ctx.principal.roles,
        "this_year": utcnow().year,
        "errors": {},
        "form": {},
        **extra,
    }
    return render(ctx.request, "snapshots/list.html", context, status=status)


@router.get("/registry/snapshots")
def snapshots(ctx: Ctx = permit(SNAPSHOT_READ)) -> Response:
    return _list(ctx)


@router.post("/registry/snapshots")
def freeze(
    ctx: Ctx = permit(SNAPSHOT_WRITE),
    county: Annotated[str, Form(max_length=12)] = "",
    year: Annotated[str, Form(max_length=4)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    replace: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    form = {"county": county, "year": year, "reason": reason, "replace": replace}
    try:
        data = SnapshotIn(county=county[:6], year=year, reason=reason or None, replace=replace == "on")  # type: ignore[arg-type]
        service.freeze(
            ctx.session,
            actor=ctx.principal,
            county=data.county,
            year=data.year,
            reason=data.reason,
            replace=data.replace,
        )
    except ValidationError as exc:
        return _list(ctx, form=form, errors=field_errors(exc), status=422)
    except DomainError as exc:
        return _list(ctx, form=form, errors={exc.field or "county": exc.message}, status=exc.status)
    return redirect("/registry/snapshots", ctx.request)


@router.get("/registry/snapshots/{county_code}/{year}")
def comparison(
    county_code: County,
    year: Annotated[int, Path(ge=1980, le=2100)],
    ctx: Ctx = permit(SNAPSHOT_READ),
    with_: With = "current",
    kind: Annotated[str, Query(pattern=r"^[a-z_]{1,20}$")] = "status_changed",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    later = queries.later_year(ctx.session, ctx.scope, county_code, year, with_)
    kind = kind if kind in queries.KINDS else "status_changed"
    items, next_cursor = queries.page(ctx.session, ctx.scope, county_code, year, later, kind, cursor=cursor, limit=50)
    frozen = [s.year for s, _name in queries.snapshots(ctx.session, ctx.scope) if s.county_code == county_code]
    return render(
        ctx.request,
        "snapshots/compare.html",
        {
            "county": county_code,
            "year": year,
            "against": with_,
            "later_years": [y for y in frozen if y > year],
            "found": queries.compare(ctx.session, ctx.scope, county_code, year, later),
            "kind": kind,
            "items": items,
            "next_cursor": next_cursor,
            "kinds": KIND_LABELS,
            "status": cat.HOUSEHOLD_STATUS,
            "value_label": value_label,
        },
    )
