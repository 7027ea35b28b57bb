"""Kinship pages: find a resident, see their relatives to a degree with the path to each,
declare a relation with someone of another household, remove a declared one."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select

from zhucun.core.protect import Protector

from ...core.addressing import CountyCode, href, moved, url_of
from ...core.deps import Ctx, permit
from ...core.errors import DomainError, Invalid, NotFound
from ...core.i18n import _l
from ...core.pagination import count, int_id
from ...core.web import field_errors, redirect, render
from .. import catalogues as cat
from .. import queries as registry_queries
from ..models import Member
from ..permissions import KIN_READ, KIN_WRITE
from ..service import access_member
from . import present, service
from .schemas import KinIn

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, int_id(2**63 - 1)]
# The form's choices, read from the member whose page it is: (stored kind, the member is the first).
CHOICES: dict[str, tuple[str, bool]] = {
    "spouse": ("spouse", True),
    "parent": ("parent", True),
    "child": ("parent", False),
    "sibling": ("sibling", True),
    "grandparent": ("grandparent", True),
    "grandchild": ("grandparent", False),
    "in_law": ("in_law", True),
    "other": ("other", True),
}
CHOICE_LABELS = {
    "spouse": _l("spouse of"),
    "parent": _l("parent of"),
    "child": _l("child of"),
    "sibling": _l("sibling of"),
    "grandparent": _l("grandparent of"),
    "grandchild": _l("grandchild of"),
    "in_law": _l("in-law of"),
    "other": _l("other relative of"),
}
# Service fields as the form names them.
FORM_FIELDS = {"member_b": "other", "member_a": "other"}


@router.get("/registry/kin")
def find(
    ctx: Ctx = permit(KIN_READ),
    q: Annotated[str | None, Query(max_length=50)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    """Find a resident by name or ID number, to open their kinship page."""
    items, next_cursor, total = [], None, 0
    if q and q.strip():
        statement = registry_queries.member_statement(Protector.of(ctx.settings), q=q)
        items, next_cursor = registry_queries.page(ctx.session, statement, Member, cursor=cursor, limit=50)
        total = count(ctx.session, statement)
    context = {"q": q or "", "items": items, "next_cursor": next_cursor, "total": total}
    return render(ctx.request, "kinship/find.html", context)


def _page(ctx: Ctx, member: Member, degree: int | None, **extra: Any) -> Response:
    degree = present.degree_of(ctx.settings, degree)
    declared, others = present.declared(ctx.session, member)
    context = {
        "member": member,
        "degree": degree,
        "max_degree": ctx.settings.kin_max_degree,
        "found": present.relatives(ctx.session, member, degree),
        "declared": declared,
        "others": others,
        "choices": CHOICE_LABELS,
        "kin": cat.KIN,
        "member_status": cat.MEMBER_STATUS,
        "can_write": ctx.principal.can(KIN_WRITE),
        "errors": {},
        "form": {},
        **extra,
    }
    return render(ctx.request, "kinship/member.html", context, status=422 if context["errors"] else 200)


@router.get("/registry/members/{county_code}/{member_id}/kin")
def member_kin(
    county_code: CountyCode,
    member_id: RowId,
    ctx: Ctx = permit(KIN_READ),
    degree: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    return _page(ctx, access_member(ctx.session, county_code, member_id), degree)


def _other(ctx: Ctx, member: Member, text: str) -> Member:
    """The other person, named by ID number (found through its keyed hash) or member number."""
    value = text.strip()
    id_hash = Protector.of(ctx.settings).lookup(value)
    if id_hash:
        found = ctx.session.scalars(
            select(Member).where(Member.county_code == member.county_code, Member.id_hash == id_hash)
        ).first()
    elif value.isdigit() and len(value) < 19:
        try:
            found = access_member(ctx.session, member.county_code, int(value))
        except NotFound:
            found = None
    else:
        raise Invalid(_l("Give the other person's ID number or member number."), field="other", code="bad_person")
    if found is None:
        raise Invalid(_l("No resident with this number in your area."), field="other", code="no_such_person")
    return found


@router.post("/registry/members/{county_code}/{member_id}/kin")
def declare(
    county_code: CountyCode,
    member_id: RowId,
    ctx: Ctx = permit(KIN_WRITE),
    other: Annotated[str, Form(max_length=40)] = "",
    kind: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=200)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    member = access_member(ctx.session, county_code, member_id)
    form = {"other": other, "kind": kind, "note": note, "reason": reason}
    try:
        stored, first = CHOICES.get(kind, (kind, True))
        person = _other(ctx, member, other)
        a, b = (member, person) if first else (person, member)
        data = KinIn(member_a=a.id, member_b=b.id, kind=stored, note=note or None, reason=reason)
        service.declare(ctx.session, actor=ctx.principal, a=a, b=b, data=data)
    except ValidationError as exc:
        return _page(ctx, member, None, form=form, errors=field_errors(exc))
    except DomainError as exc:
        field = FORM_FIELDS.get(exc.field or "", exc.field or "other")
        return _page(ctx, member, None, form=form, errors={field: exc.message})
    return redirect(href("member", county_code, member_id, "kin"), ctx.request)


@router.post("/registry/kin/{county_code}/{member_a}/{member_b}/remove")
def remove(
    county_code: CountyCode,
    member_a: RowId,
    member_b: RowId,
    ctx: Ctx = permit(KIN_WRITE),
    reason: Annotated[str, Form(max_length=500)] = "",
    back: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    a, b = access_member(ctx.session, county_code, member_a), access_member(ctx.session, county_code, member_b)
    page_of = b if back == str(b.id) else a
    if len(reason.strip()) < 2:
        return _page(ctx, page_of, None, errors={"remove": str(_l("Say why the relation is removed."))})
    service.remove(ctx.session, actor=ctx.principal, a=a, b=b, reason=reason.strip())
    return redirect(url_of(page_of, "kin"), ctx.request)


# The paths of before answer a redirect to these (core.addressing).
moved(router, {"member_id": Member, "member_a": Member})
