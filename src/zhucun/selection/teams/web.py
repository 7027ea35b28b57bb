"""The work teams page: key villages and the cadres in post there, incomplete teams first
to be found by a filter (the organisation department's home page links here)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from sqlalchemy import select

from ...core.deps import Ctx, permit
from ...core.pagination import count
from ...core.scope import access
from ...core.web import render, render_names
from ...divisions.models import Division
from ..cadres.models import Cadre, CadrePosting
from ..permissions import CADRE_READ
from .queries import team_statement

router = APIRouter(include_in_schema=False)
PAGE = 200


@router.get("/registry/teams")
def teams(
    ctx: Ctx = permit(CADRE_READ),
    incomplete: Annotated[str | None, Query(max_length=1)] = None,
) -> Response:
    minimum = ctx.settings.team_minimum
    statement = team_statement(minimum=minimum, incomplete=incomplete == "1")
    rows = ctx.session.execute(statement.order_by(Division.code).limit(PAGE)).all()
    render_names(ctx).prefetch(r.code for r in rows)
    return render(
        ctx.request,
        "teams/list.html",
        {
            "rows": rows,
            "total": count(ctx.session, statement),
            "minimum": minimum,
            "incomplete": incomplete == "1",
            "shown": PAGE,
        },
    )


@router.get("/registry/villages/{code}/team")
def village_team(code: Annotated[str, Path(pattern=r"^\d{12}$")], ctx: Ctx = permit(CADRE_READ)) -> Response:
    """The work team in post in a village now (a section of the village's page, by HTMX)."""
    access(ctx.session, Division, code)  # a village outside the area is a 404, like a missing one
    members = ctx.session.execute(
        select(Cadre.county_code, Cadre.id, Cadre.name, Cadre.unit_id, CadrePosting.role, CadrePosting.start_date)
        .join(Cadre, (Cadre.county_code == CadrePosting.county_code) & (Cadre.id == CadrePosting.cadre_id))
        .where(CadrePosting.village_code == code, CadrePosting.end_date.is_(None))
        .order_by(CadrePosting.role, CadrePosting.start_date)
    ).all()
    minimum = ctx.settings.team_minimum
    complete = len(members) >= minimum and any(m.role == "1" for m in members)
    return render(
        ctx.request, "teams/_village.html", {"members": members, "complete": complete, "minimum": minimum, "code": code}
    )
