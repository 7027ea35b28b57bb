"""The duplicate registrations page: the report by area and kind, with a form on each
registration of the caller's area to resolve it."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response
from pydantic import ValidationError

from ...core import pickers
from ...core.addressing import CountyCode, moved
from ...core.deps import Ctx, permit
from ...core.errors import DomainError
from ...core.i18n import _l
from ...core.pagination import int_id
from ...core.web import field_errors, redirect, render
from ...divisions.queries import named
from .. import catalogues as cat
from ..models import Member
from ..permissions import DUPLICATE_READ, DUPLICATE_RESOLVE
from ..service import access_member
from . import queries, service
from .schemas import ResolutionIn

router = APIRouter(include_in_schema=False)
OUTCOMES = {
    "moved_out": _l("Take off the roll: moved out"),
    "other_removal": _l("Take off the roll: other removal"),
    "not_same_person": _l("Not the same person: keep both"),
}
KINDS = {"": _l("All"), "within": _l("Within one county"), "across": _l("Across counties")}
Area = Annotated[str | None, Query(pattern=r"^(\d{12})?$")]
Kind = Annotated[str | None, Query(pattern=r"^(within|across)?$")]
Typed = Annotated[str | None, Query(alias="area__q", max_length=pickers.MAX_TYPED)]


def _page(ctx: Ctx, area: str | None, kind: str | None, cursor: str | None, **extra: Any) -> Response:
    items, next_cursor = queries.page(ctx.session, ctx.scope, area=area or None, kind=kind or None, cursor=cursor)
    total, across = queries.summary(ctx.session, ctx.scope, area=area or None)
    query = "&".join(f"{k}={v}" for k, v in (("area", area), ("kind", kind)) if v)
    context = {
        "items": items,
        "next_cursor": next_cursor,
        "total": total,
        "across": across,
        # What the kind filter leaves, from the same summary: no second count.
        "shown": {queries.ACROSS: across, queries.WITHIN: total - across}.get(kind or "", total),
        "area": area or "",
        "kind": kind or "",
        "kinds": KINDS,
        "outcomes": OUTCOMES,
        "relation": cat.RELATION,
        "export_query": query,
        "can_resolve": ctx.principal.can(DUPLICATE_RESOLVE),
        "typed": "",
        "errors": {},
        **extra,
    }
    return render(ctx.request, "duplicates/list.html", context, status=422 if context["errors"] else 200)


@router.get("/registry/duplicates")
def duplicates(
    ctx: Ctx = permit(DUPLICATE_READ),
    area: Area = None,
    kind: Kind = None,
    typed: Typed = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    # The area comes from the division picker: its code, or a name typed without picking.
    try:
        area = pickers.resolve({"area": area or "", "area__q": typed or ""}, "area", lambda t: named(ctx.session, t))
    except DomainError as exc:
        return _page(ctx, None, kind, None, typed=typed or "", errors={"area": exc.message})
    return _page(ctx, area, kind, cursor, typed=typed or "")


@router.post("/registry/duplicates/{county_code}/{member_id}/resolve")
def resolve(
    county_code: CountyCode,
    member_id: Annotated[int, int_id(2**63 - 1)],
    ctx: Ctx = permit(DUPLICATE_RESOLVE),
    outcome: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
    area: Annotated[str, Form(max_length=12)] = "",
    kind: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    member = access_member(ctx.session, county_code, member_id)
    back = (area if area.isdigit() else "", kind if kind in ("within", "across") else "")
    try:
        data = ResolutionIn(outcome=outcome, reason=reason)  # type: ignore[arg-type]
        service.resolve(ctx.session, actor=ctx.principal, member=member, outcome=data.outcome, reason=data.reason)
    except ValidationError as exc:
        return _page(ctx, *back, None, errors={member_id: next(iter(field_errors(exc).values()))})
    except DomainError as exc:
        return _page(ctx, *back, None, errors={member_id: exc.message})
    query = "&".join(f"{k}={v}" for k, v in zip(("area", "kind"), back, strict=True) if v)
    return redirect("/registry/duplicates" + (f"?{query}" if query else ""), ctx.request)


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"member_id": Member})
