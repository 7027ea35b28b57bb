"""The home page: the work of the signed-in account — counts from every mechanism, each
opening the list behind it — then the places it can go."""

from __future__ import annotations

from itertools import groupby

from fastapi import APIRouter
from fastapi.responses import Response

from ..core.deps import Ctx, permit
from ..core.mechanism import home_items, nav
from ..core.permissions import SELF
from ..core.web import render

router = APIRouter(include_in_schema=False)


@router.get("/")
def home(ctx: Ctx = permit(SELF)) -> Response:
    items = home_items(ctx)
    # Sections in the order the mechanisms gave them, each keeping its items' order.
    order = {str(item.group): i for i, item in reversed(list(enumerate(items)))}
    sections = [
        (group, list(found))
        for group, found in groupby(sorted(items, key=lambda i: order[str(i.group)]), key=lambda i: str(i.group))
    ]
    tiles = [item for item in nav() if item.url != "/" and ctx.principal.can(item.permission)]
    return render(ctx.request, "home/home.html", {"sections": sections, "tiles": tiles})
