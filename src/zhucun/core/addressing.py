"""Rows of county-keyed tables are addressed by ``(county_code, id)``: in page URLs, API paths
and the links that build them.

On Citus the county code is the distribution column: a lookup by id alone is sent to every
shard, one that names the county goes to that county's shard only. So a route that opens one
row carries the county before the id (``/registry/households/{county_code}/{household_id}``),
and the pages build those URLs with one helper (``url_of(obj, "edit")`` / ``href(kind, county,
id)``, template globals) rather than spelling paths.

The paths of before (``/registry/households/{household_id}``) still answer, for bookmarks and
printed links: ``moved(router, ...)`` adds, for every route of the new shape, a route at the
old path with the same permission that looks the row's county up once, through the caller's
scoped session, and answers 308 (a POST keeps its method and body) to the new path, or 404 for
a missing or out-of-area row like every other route. Those routes stay out of the OpenAPI spec
and are listed in ``OLD_PATHS`` for the route × role tests.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from sqlalchemy import select
from sqlalchemy.orm import Session

from .deps import Ctx, get_session, permit, public, route_permission
from .errors import NotFound
from .scope import access_by

CountyCode = Annotated[str, Path(pattern=r"^\d{6}$", description="The county's six-digit division code")]

# kind → (the model, the base path of one row's page); filled by the mechanisms.
PAGES: dict[str, tuple[type, str]] = {}
# The kind ``url_of`` gives for a model (its own page, not another mechanism's page about it).
_PRIMARY: dict[type, str] = {}
# (method, old path) → new path, for the route × role tests.
OLD_PATHS: dict[tuple[str, str], str] = {}
_SEGMENT = "{county_code}/"
OLD_ROUTER = APIRouter()


def page(kind: str, model: type, base: str, *, primary: bool = True) -> None:
    """Declare where one row of ``model`` is shown: ``base/{county_code}/{id}``; ``primary``
    False for another page about the same row (``href(kind, ...)`` only)."""
    PAGES[kind] = (model, base)
    if primary:
        _PRIMARY[model] = kind


def href(kind: str, county_code: str, row_id: Any, *rest: Any) -> str:
    """The page of one row of a kind, and a sub-path (``href("household", c, 7, "edit")``)."""
    base = PAGES[kind][1]
    return "/".join([base, str(county_code), str(row_id), *(str(part) for part in rest)])


def url_of(obj: Any, *rest: Any) -> str:
    """The page of a row (a Household, a Cadre…), from its county and id."""
    kind = _PRIMARY.get(type(obj))
    if kind is None:
        raise KeyError(f"no page declared for {type(obj).__name__}")
    return href(kind, obj.county_code, obj.id, *rest)


def moved(router: APIRouter, ids: dict[str, type]) -> None:
    """For every route of ``router`` whose path holds ``{county_code}/{<id>}`` (an id named in
    ``ids``, with its model), add the route of before — the same path without the county —
    that redirects to it. Call once, after the router's routes are declared.

    The old routes live in ``OLD_ROUTER``, which the app includes before every mechanism's
    router, and match the old id as digits only (``{household_id:int}``): so
    ``/households/export.csv`` still reaches its own route, and ``/members/7/kin`` reaches its
    redirect rather than ``/members/{county_code}/{member_id}`` with a county of "7"."""
    for route in list(router.routes):
        if not isinstance(route, APIRoute) or _SEGMENT not in route.path:
            continue
        found = re.search(r"\{county_code\}/\{(\w+)\}", route.path)
        if found is None or found.group(1) not in ids:
            continue
        name = found.group(1)
        old = route.path.replace(_SEGMENT, "", 1).replace(f"{{{name}}}", f"{{{name}:int}}", 1)
        methods = sorted(route.methods or ())
        for method in methods:
            OLD_PATHS[(method, old)] = route.path
        permission = route_permission(route)
        if permission is True:
            # A public route (a printed QR code): the same gate (a small form only), no login.
            endpoint, dependencies = _public_redirector(ids[name], name, route.path), route.dependencies or [public]
        else:
            endpoint, dependencies = _redirector(ids[name], name, route.path, permission), []
        OLD_ROUTER.add_api_route(old, endpoint, methods=methods, dependencies=dependencies, include_in_schema=False)


def _redirector(model: type, id_name: str, new_path: str, permission: Any) -> Any:
    def redirect(request: Request, ctx: Ctx = permit(permission)) -> Response:
        row_id = _old_id(request, id_name)
        row: Any = access_by(ctx.session, model, id=row_id)
        return _to(request, new_path, row.county_code)

    return redirect


def _public_redirector(model: Any, id_name: str, new_path: str) -> Any:
    """For a public row (a notice): there is no reader's area, so the one lookup of its county
    is by id alone — it reads every shard once, for old printed links only."""

    def redirect(request: Request, session: Session = Depends(get_session)) -> Response:
        row_id = _old_id(request, id_name)
        county = session.scalars(select(model.county_code).where(model.id == row_id)).first()
        if county is None:
            raise NotFound()
        return _to(request, new_path, county)

    return redirect


def _old_id(request: Request, id_name: str) -> int:
    row_id = request.path_params.get(id_name)
    if not isinstance(row_id, int) or row_id > 2**63 - 1:
        raise NotFound()
    return row_id


def _to(request: Request, new_path: str, county_code: str) -> Response:
    target = new_path.format(**{**request.path_params, "county_code": county_code})
    if request.url.query:
        target += "?" + request.url.query
    return RedirectResponse(target, status_code=308)
