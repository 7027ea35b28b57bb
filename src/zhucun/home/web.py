"""The home page: the work of the signed-in account — counts from every mechanism, each
opening the list behind it — then a few shortcuts, not the whole menu again."""

from __future__ import annotations

from itertools import groupby
from urllib.parse import urlsplit

from fastapi import APIRouter
from fastapi.responses import Response

from ..core.deps import Ctx, permit
from ..core.mechanism import home_items, nav
from ..core.permissions import SELF
from ..core.web import render

router = APIRouter(include_in_schema=False)
SHORTCUTS = 4


@router.get("/")
def home(ctx: Ctx = permit(SELF)) -> Response:
    items = home_items(ctx)
    # Sections in the order the mechanisms gave them, each keeping its items' order.
    order = {str(item.group): i for i, item in reversed(list(enumerate(items)))}
    sections = [
        (group, list(found))
        for group, found in groupby(sorted(items, key=lambda i: order[str(i.group)]), key=lambda i: str(i.group))
    ]
    return render(ctx.request, "home/home.html", {"sections": sections, "tiles": shortcuts(ctx, items)})


def shortcuts(ctx: Ctx, items: list) -> list:
    """A few places to go that the work above does not already open: the home page is work,
    not a second menu (the navigation lists them all). The navigation's order puts each
    mechanism's daily lists first, so its first entries stand for the most used."""
    opened = {urlsplit(item.url).path for item in items}
    return [
        item for item in nav() if item.url != "/" and item.url not in opened and ctx.principal.can(item.permission)
    ][:SHORTCUTS]
