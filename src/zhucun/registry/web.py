"""Household and member pages: lists with search, registration, details with history,
edits with a reason, revealing a number with a reason (HTMX), exports."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from zhucun.core import idnumbers
from zhucun.core.disclosure import reveal_answer
from zhucun.core.protect import Protector

from ..core import pickers
from ..core.addressing import CountyCode, href, moved, page, url_of
from ..core.deps import Ctx, permit
from ..core.errors import DomainError, Invalid, NotFound
from ..core.pagination import count, int_id
from ..core.scope import get as scoped_get
from ..core.web import ENV, field_errors, form_values, redirect, render, render_names
from ..divisions.models import Division
from ..divisions.queries import named
from . import catalogues as cat
from . import queries, service
from .history import told
from .models import Household, Member
from .permissions import HOUSEHOLD_READ, HOUSEHOLD_WRITE, KIN_READ, PERSON_UNMASK, PHONE_REVEAL
from .schemas import HouseholdIn, HouseholdPatch, MemberIn, MemberPatch, MemberRemoval, RevealIn

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, int_id(2**63 - 1)]
ENV.globals["catalogues"] = cat.CATALOGUES
ENV.globals["label"] = lambda name, code: cat.CATALOGUES[name].label(code)
BOOLEANS = ("housing_safe", "water_safe", "medical_insurance", "pension_insurance")


def _villages(ctx: Ctx, limit: int = 500) -> list[Division]:
    """Villages of the caller's area, for a choice list (None when there are too many)."""
    rows = list(
        ctx.session.scalars(
            select(Division).where(Division.level == "village").order_by(Division.code).limit(limit + 1)
        )
    )
    return rows if len(rows) <= limit else []


def _village_filter(ctx: Ctx, village: str | None, typed: str | None) -> tuple[str | None, dict[str, str]]:
    """The village a list's picker chose, or the one village of the reader's area named exactly
    what was typed; otherwise no filter and the picker says why (the list stays whole)."""
    if village or not (typed or "").strip():
        return village or None, {}
    try:
        form = {"village": "", "village__q": typed or ""}
        return pickers.resolve(form, "village", lambda text: named(ctx.session, text, "village")), {}
    except Invalid as exc:
        return None, {"village": exc.message}


def _with_village(ctx: Ctx, code: str) -> Response:
    """A typed name resolved: the list's address carries the village's code, so that its
    exports and its next pages filter exactly as the page does."""
    query = {k: v for k, v in ctx.request.query_params.items() if k not in ("village", "village__q", "cursor")}
    return redirect(f"{ctx.request.url.path}?{urlencode({**query, 'village': code})}")


def _common(ctx: Ctx) -> dict[str, Any]:
    return {
        "can_write": ctx.principal.can(HOUSEHOLD_WRITE),
        "can_unmask": ctx.principal.can(PERSON_UNMASK),
        "can_call": ctx.principal.can(PHONE_REVEAL),
        "can_see_kin": ctx.principal.can(KIN_READ),
    }


def _clean(form: dict[str, str], *, prefix: str = "") -> dict[str, Any]:
    """Form text to schema input: blanks dropped, check boxes to booleans."""
    values: dict[str, Any] = {}
    for key, value in form.items():
        if not key.startswith(prefix) or key == "csrf_token":
            continue
        name = key[len(prefix) :]
        if name in BOOLEANS:
            values[name] = value in ("1", "on", "true", "是")
        elif value.strip():
            values[name] = value.strip()
    return values


@router.get("/registry/households")
def households(
    ctx: Ctx = permit(HOUSEHOLD_READ),
    q: Annotated[str | None, Query(max_length=50)] = None,
    village: Annotated[str | None, Query(pattern=r"^(\d{12})?$")] = None,
    village__q: Annotated[str | None, Query(max_length=50)] = None,
    status: Annotated[str | None, Query(max_length=2)] = None,
    monitored: Annotated[str | None, Query(max_length=1)] = None,
    assisted: Annotated[str | None, Query(max_length=1)] = None,
    below: Annotated[str | None, Query(max_length=1)] = None,
    mine: Annotated[str | None, Query(max_length=1)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    village, errors = _village_filter(ctx, village, village__q)
    if village and village__q and not ctx.request.query_params.get("village"):
        return _with_village(ctx, village)
    filters = {
        # A helper's own households: those the reader's account is the open helper of.
        "helped_by": (ctx.principal.user_id or 0) if mine == "1" else None,
        "q": q,
        "village": village,
        "status": status or None,
        "monitored": True if monitored == "1" else None,
        "assisted": True if assisted == "1" else None,
        "below": True if below == "1" else None,
    }
    statement = queries.household_statement(Protector.of(ctx.settings), **filters)
    items, next_cursor = queries.page(ctx.session, statement, Household, cursor=cursor, limit=30)
    total = count(ctx.session, statement)
    names = dict(
        ctx.session.execute(
            select(Division.code, Division.name).where(Division.code.in_({h.village_code for h in items}))
        ).all()
    )
    return render(
        ctx.request,
        "registry/households.html",
        {
            **_common(ctx),
            "items": items,
            "next_cursor": next_cursor,
            "filters": filters,
            "village_names": names,
            "errors": errors,
            "typed_village": village__q,
            "total": total,
        },
    )


@router.get("/registry/households/new")
def new_household(ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    return render(ctx.request, "registry/household_new.html", _new_context(ctx, {}, {}))


def _new_context(ctx: Ctx, form: dict[str, str], errors: dict[str, str]) -> dict[str, Any]:
    villages = _villages(ctx)
    suggested = queries.next_numbers(ctx.session, [v.code for v in villages])
    if not form and villages:
        form = {"village_code": villages[0].code, "household_no": suggested[villages[0].code]}
    return {"form": form, "errors": errors, "villages": villages, "suggested": suggested}


@router.post("/registry/households/new")
async def create_household(ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_create_household, ctx, form)


def _create_household(ctx: Ctx, form: dict[str, str]) -> Response:
    head = {**_clean(form, prefix="head_"), "relation": "02"}
    values = {k: v for k, v in _clean(form).items() if not k.startswith("head_")}
    errors: dict[str, str] = {}
    try:
        data = HouseholdIn.model_validate({**values, "members": [head]})
        household = service.create_household(
            ctx.session, actor=ctx.principal, protector=Protector.of(ctx.settings), data=data
        )
    except ValidationError as exc:
        errors = {k.replace("members.0.", "head_"): v for k, v in field_errors(exc).items()}
    except NotFound:
        raise  # another area's division or unit: the same 404 page as a missing one, not a field error
    except DomainError as exc:
        errors = {(exc.field or "").replace("members.0.", "head_"): exc.message}
    if errors:
        return render(
            ctx.request,
            "registry/household_new.html",
            _new_context(ctx, form, errors),
            status=422,
        )
    return redirect(url_of(household), ctx.request)


def _id_notes(ctx: Ctx, members: list[Member]) -> dict[int, Any]:
    """Warnings about implausible birth dates in valid numbers, shown beside each member."""
    today, max_age = date.today(), ctx.settings.id_max_age
    notes = {m.id: idnumbers.birth_note(m.birth_date, today, max_age) for m in members}
    return {member_id: note for member_id, note in notes.items() if note is not None}


def _detail(ctx: Ctx, household: Household, **extra: Any) -> dict[str, Any]:
    village = scoped_get(ctx.session, Division, household.village_code)
    changes, _cursor = queries.history_of(ctx.session, household, limit=20)
    if not ctx.principal.can(KIN_READ):
        # Declared kinship is for the roles that may read it, even on a household they may see.
        changes = [c for c in changes if "member_a" not in ((c.after or {}) | (c.before or {}))]
    members = queries.members_of(ctx.session, household)
    return {
        **_common(ctx),
        "h": household,
        "village": village,
        "members": members,
        "id_notes": _id_notes(ctx, members),
        "incomes": queries.incomes_of(ctx.session, household),
        "can_record_income": service.may_record_income(ctx.session, ctx.principal, household),
        # A helper calls only the households in their care; the village's team any of its own.
        "can_call": ctx.principal.can(PHONE_REVEAL) and service.may_call(ctx.session, ctx.principal, household),
        "history": told(ctx.session, changes),
        "form": {},
        "errors": {},
        **extra,
    }


@router.get("/registry/households/{county_code}/{household_id}")
def household(county_code: CountyCode, household_id: RowId, ctx: Ctx = permit(HOUSEHOLD_READ)) -> Response:
    return render(
        ctx.request,
        "registry/household.html",
        _detail(ctx, service.access_household(ctx.session, county_code, household_id)),
    )


@router.get("/registry/households/{county_code}/{household_id}/edit")
def edit_household_form(county_code: CountyCode, household_id: RowId, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    h = service.access_household(ctx.session, county_code, household_id)
    return render(ctx.request, "registry/household_edit.html", {"h": h, "form": None, "errors": {}})


@router.post("/registry/households/{county_code}/{household_id}/edit")
async def edit_household(county_code: CountyCode, household_id: RowId, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_edit_household, ctx, county_code, household_id, form)


def _edit_household(ctx: Ctx, county_code: str, household_id: int, form: dict[str, str]) -> Response:
    h = service.access_household(ctx.session, county_code, household_id)
    values = _clean(form)
    for optional in (
        "group_number",
        "main_cause",
        "registered_year",
        "exited_year",
        "address",
        "cultivated_land_mu",
        "forest_land_mu",
    ):
        values.setdefault(optional, None)
    for flag in ("housing_safe", "water_safe"):
        values.setdefault(flag, False)
    try:
        service.update_household(
            ctx.session,
            actor=ctx.principal,
            protector=Protector.of(ctx.settings),
            household=h,
            data=HouseholdPatch.model_validate(values),
        )
    except ValidationError as exc:
        return render(
            ctx.request, "registry/household_edit.html", {"h": h, "form": form, "errors": field_errors(exc)}, status=422
        )
    return redirect(href("household", county_code, household_id), ctx.request)


@router.post("/registry/households/{county_code}/{household_id}/members")
async def add_member(county_code: CountyCode, household_id: RowId, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_add_member, ctx, county_code, household_id, form)


def _add_member(ctx: Ctx, county_code: str, household_id: int, form: dict[str, str]) -> Response:
    h = service.access_household(ctx.session, county_code, household_id)
    values = _clean(form)
    reason = values.pop("reason", None)
    try:
        service.add_member(
            ctx.session,
            actor=ctx.principal,
            protector=Protector.of(ctx.settings),
            household=h,
            data=MemberIn.model_validate(values),
            reason=reason,
        )
    except ValidationError as exc:
        return render(
            ctx.request,
            "registry/household.html",
            _detail(ctx, h, form=form, errors=field_errors(exc), open_add=True),
            status=422,
        )
    except DomainError as exc:
        return render(
            ctx.request,
            "registry/household.html",
            _detail(ctx, h, form=form, errors={(exc.field or "id_number").split(".")[-1]: exc.message}, open_add=True),
            status=exc.status if exc.status != 404 else 422,
        )
    return redirect(href("household", county_code, household_id), ctx.request)


@router.post("/registry/households/{county_code}/{household_id}/reveal")
async def reveal_household(county_code: CountyCode, household_id: RowId, ctx: Ctx = permit(PERSON_UNMASK)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_reveal, ctx, "household", county_code, household_id, form)


@router.post("/registry/households/{county_code}/{household_id}/phone")
async def reveal_phone(county_code: CountyCode, household_id: RowId, ctx: Ctx = permit(PHONE_REVEAL)) -> Response:
    """The household's phone for whoever is to call it (helper, team), with a reason, audited."""
    form = {**await form_values(ctx.request), "field": "phone"}
    return await run_in_threadpool(_reveal, ctx, "household", county_code, household_id, form)


@router.post("/registry/members/{county_code}/{member_id}/reveal")
async def reveal_member(county_code: CountyCode, member_id: RowId, ctx: Ctx = permit(PERSON_UNMASK)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_reveal, ctx, "member", county_code, member_id, form)


def _reveal(ctx: Ctx, kind: str, county_code: str, row_id: int, form: dict[str, str]) -> Response:
    obj = (
        service.access_member(ctx.session, county_code, row_id)
        if kind == "member"
        else service.access_household(ctx.session, county_code, row_id)
    )
    return reveal_answer(
        ctx,
        form,
        RevealIn,
        lambda field, reason: service.reveal(
            ctx.session, actor=ctx.principal, protector=Protector.of(ctx.settings), obj=obj, field=field, reason=reason
        ),
    )


@router.get("/registry/members")
def members(
    ctx: Ctx = permit(HOUSEHOLD_READ),
    q: Annotated[str | None, Query(max_length=50)] = None,
    village: Annotated[str | None, Query(pattern=r"^(\d{12})?$")] = None,
    village__q: Annotated[str | None, Query(max_length=50)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    village, errors = _village_filter(ctx, village, village__q)
    if village and village__q and not ctx.request.query_params.get("village"):
        return _with_village(ctx, village)
    statement = queries.member_statement(Protector.of(ctx.settings), q=q, village=village)
    items, next_cursor = queries.page(ctx.session, statement, Member, cursor=cursor, limit=30)
    # Many residents share a name: each is shown with the household and village they live in.
    households = {
        h.id: h
        for h in ctx.session.execute(
            select(Household.id, Household.household_no, Household.head_name).where(
                Household.id.in_({m.household_id for m in items})
            )
        )
    }
    render_names(ctx).prefetch(m.village_code for m in items)
    return render(
        ctx.request,
        "registry/members.html",
        {
            **_common(ctx),
            "items": items,
            "next_cursor": next_cursor,
            "q": q,
            "village": village,
            "errors": errors,
            "typed_village": village__q,
            "households": households,
            "total": count(ctx.session, statement),
        },
    )


@router.get("/registry/members/{county_code}/{member_id}/edit")
def edit_member_form(county_code: CountyCode, member_id: RowId, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    return render(
        ctx.request,
        "registry/member_edit.html",
        _member_page(ctx, service.access_member(ctx.session, county_code, member_id), None, {}),
    )


def _member_page(ctx: Ctx, m: Member, form: dict[str, str] | None, errors: dict[str, Any]) -> dict[str, Any]:
    return {"m": m, "form": form, "errors": errors, "id_note": _id_notes(ctx, [m]).get(m.id)}


@router.post("/registry/members/{county_code}/{member_id}/edit")
async def edit_member(county_code: CountyCode, member_id: RowId, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_edit_member, ctx, county_code, member_id, form)


def _edit_member(ctx: Ctx, county_code: str, member_id: int, form: dict[str, str]) -> Response:
    m = service.access_member(ctx.session, county_code, member_id)
    values = _clean(form)
    for flag in ("medical_insurance", "pension_insurance"):
        values.setdefault(flag, False)
    try:
        service.update_member(
            ctx.session,
            actor=ctx.principal,
            protector=Protector.of(ctx.settings),
            member=m,
            data=MemberPatch.model_validate(values),
        )
    except ValidationError as exc:
        return render(
            ctx.request, "registry/member_edit.html", _member_page(ctx, m, form, field_errors(exc)), status=422
        )
    except DomainError as exc:
        return render(
            ctx.request,
            "registry/member_edit.html",
            _member_page(ctx, m, form, {(exc.field or "reason"): exc.message}),
            status=422,
        )
    return redirect(href("household", m.county_code, m.household_id), ctx.request)


@router.post("/registry/members/{county_code}/{member_id}/remove")
async def remove_member(county_code: CountyCode, member_id: RowId, ctx: Ctx = permit(HOUSEHOLD_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_remove_member, ctx, county_code, member_id, form)


def _remove_member(ctx: Ctx, county_code: str, member_id: int, form: dict[str, str]) -> Response:
    m = service.access_member(ctx.session, county_code, member_id)
    try:
        data = MemberRemoval.model_validate({"status": form.get("status", ""), "reason": form.get("reason", "")})
        service.remove_member(ctx.session, actor=ctx.principal, member=m, status=data.status, reason=data.reason)
    except ValidationError as exc:
        return render(
            ctx.request, "registry/member_edit.html", _member_page(ctx, m, form, field_errors(exc)), status=422
        )
    except DomainError as exc:
        return render(
            ctx.request,
            "registry/member_edit.html",
            _member_page(ctx, m, form, {"status": exc.message}),
            status=exc.status,
        )
    return redirect(href("household", m.county_code, m.household_id), ctx.request)


# The paths of before answer a redirect to these (core.addressing).
page("household", Household, "/registry/households")
page("member", Member, "/registry/members")
moved(router, {"household_id": Household, "member_id": Member})
