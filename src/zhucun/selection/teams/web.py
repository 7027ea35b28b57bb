"""The work teams page: key villages and the cadres in post there, incomplete teams first
to be found by a filter (the organisation department's home page links here)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from ...core.deps import Ctx, permit
from ...core.pagination import count
from ...core.web import render, render_names
from ...divisions.models import Division
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
