"""The home page: what the signed-in account can do, by role."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import Response
from sqlalchemy import select

from ..core.deps import Ctx, permit
from ..core.mechanism import each, nav, resolve
from ..core.permissions import SELF
from ..core.web import render
from ..divisions.models import Division

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(ctx: Ctx = permit(SELF)) -> Response:
    codes = [g.division_code for g in ctx.principal.grants if g.division_code]
    names = dict(ctx.session.execute(select(Division.code, Division.name).where(Division.code.in_(codes))).all())
    tiles = [item for item in nav() if item.url != "/" and ctx.principal.can(item.permission)]
    work = [item for target in each("home") for item in resolve(target)(ctx)]
    return render(ctx.request, "home/home.html", {"division_names": names, "tiles": tiles, "work": work})
