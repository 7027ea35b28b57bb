"""Cadre pages: the list with search and filters, registration and edit forms with errors
next to the fields, details with eligibility facts, postings and history, revealing a
number with a reason (HTMX), posting to a village and ending a posting."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from zhucun.accounts.present import user_names
from zhucun.accounts.units import queries as units
from zhucun.core import pickers
from zhucun.core.addressing import CountyCode, href, moved, page, url_of
from zhucun.core.deps import Ctx, permit
from zhucun.core.disclosure import reveal_answer
from zhucun.core.errors import DomainError, NotFound
from zhucun.core.forms import clean, domain_errors, settle
from zhucun.core.pagination import count, int_id
from zhucun.core.protect import Protector
from zhucun.core.web import ENV, field_errors, form_values, redirect, render
from zhucun.divisions.models import Division
from zhucun.divisions.queries import named
from zhucun.registry import catalogues as cat
from zhucun.registry.history import told
from zhucun.registry.permissions import PERSON_UNMASK
from zhucun.selection.cadres import assessment, postings, queries, service
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.cadres.profile import FACTOR_LABELS, FACTORS, level_label
from zhucun.selection.cadres.profiles import profile
from zhucun.selection.cadres.schemas import CadreIn, CadrePatch, CadreRevealIn, PostingEnd, PostingIn, ProfileIn
from zhucun.selection.permissions import CADRE_ASSESS, CADRE_READ, CADRE_WRITE
from zhucun.selection.rules import eligibility

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, int_id(2**63 - 1)]
ENV.globals.setdefault("catalogues", cat.CATALOGUES)
ENV.globals.setdefault("label", lambda name, code: cat.CATALOGUES[name].label(code))
# The competency profile's words (selection/cadres/templates/cadres/_profile.html).
ENV.globals.setdefault("level_label", level_label)
ENV.globals.setdefault("profile_factors", FACTOR_LABELS)
CLEARABLE = (
    "ethnicity",
    "education",
    "speciality",
    "skills",
    "party_joined",
    "work_started",
    "rank",
    "position",
    "unit_id",
    "hometown_code",
    "health",
)


def _common(ctx: Ctx) -> dict[str, Any]:
    return {
        "can_write": ctx.principal.can(CADRE_WRITE),
        "can_unmask": ctx.principal.can(PERSON_UNMASK),
        "can_assess": ctx.principal.can(CADRE_ASSESS),
        "can_see_units": ctx.principal.can("accounts:unit:read"),
    }


def _unit_choices(ctx: Ctx) -> list[Any]:
    """Units a cadre may belong to: a unit's account sees its own unit only."""
    own = {area.unit_id for area in ctx.scope.areas}
    choices = units.choices(ctx.session)
    return choices if None in own else [u for u in choices if u.id in own]


def _areas(ctx: Ctx) -> list[Division]:
    """Counties of the caller's area, where a cadre not yet posted serves."""
    return list(
        ctx.session.scalars(select(Division).where(Division.level == "county").order_by(Division.code).limit(200))
    )


def _names(ctx: Ctx, codes: set[str]) -> dict[str, str]:
    return dict(ctx.session.execute(select(Division.code, Division.name).where(Division.code.in_(codes))).all())


@router.get("/registry/cadres")
def cadres(
    ctx: Ctx = permit(CADRE_READ),
    q: Annotated[str | None, Query(max_length=50)] = None,
    unit_id: Annotated[str | None, Query(pattern=r"^\d{0,9}$")] = None,
    posted: Annotated[str | None, Query(pattern=r"^[01]?$")] = None,
    role: Annotated[str | None, Query(pattern=r"^[123]?$")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    filters = {
        "q": q,
        "unit_id": int(unit_id) if unit_id else None,
        "posted": {"1": True, "0": False}.get(posted or ""),
        "role": role or None,
    }
    statement = queries.cadre_statement(Protector.of(ctx.settings), **filters)
    items, next_cursor = queries.page(ctx.session, statement, cursor=cursor, limit=30)
    total = count(ctx.session, statement)
    return render(
        ctx.request,
        "cadres/list.html",
        {
            **_common(ctx),
            "items": items,
            "profiles": profile(ctx.session, items),
            "total": total,
            "next_cursor": next_cursor,
            "filters": filters,
            "units": _unit_choices(ctx),
            "unit_names": units.names(ctx.session, {c.unit_id for c in items}),
            "area_names": _names(ctx, {c.division_code for c in items}),
        },
    )


def _hometown(ctx: Ctx, form: dict[str, str]) -> dict[str, str]:
    """The form with the hometown its picker chose (or typed by exact name)."""
    if "hometown_code__q" not in form:
        return form
    # A hometown can be anywhere in China, not only in the reader's area.
    code = pickers.resolve(form, "hometown_code", lambda text: named(ctx.session, text, everywhere=True))
    return {**form, "hometown_code": code or ""}


def _unit(ctx: Ctx, form: dict[str, str]) -> dict[str, str]:
    """The form with the unit its picker chose, or the one unit the reader may choose that is
    named exactly what was typed (a unit's account: its own unit only)."""
    if "unit_id__q" not in form:
        return form
    allowed = _unit_choices(ctx)
    code = pickers.resolve(form, "unit_id", lambda text: [(str(u.id), u.name) for u in allowed if u.name == text])
    return {**form, "unit_id": code or ""}


def _village(ctx: Ctx, form: dict[str, str]) -> dict[str, str]:
    """The posting form with the village its picker chose (or typed by exact name), in the
    reader's area."""
    if "village_code__q" not in form:
        return form
    code = pickers.resolve(form, "village_code", lambda text: named(ctx.session, text, "village"))
    return {**form, "village_code": code or ""}


def _form_context(ctx: Ctx, cadre: Cadre | None, form: dict[str, str] | None, errors: dict[str, str]) -> dict[str, Any]:
    return {"cadre": cadre, "form": form, "errors": errors, "areas": _areas(ctx)}


@router.get("/registry/cadres/new")
def new_cadre(ctx: Ctx = permit(CADRE_WRITE)) -> Response:
    # A unit's account registers its own cadres: its one unit is already chosen.
    allowed = _unit_choices(ctx)
    form = {"unit_id": str(allowed[0].id)} if len(allowed) == 1 else {}
    return render(ctx.request, "cadres/form.html", _form_context(ctx, None, form, {}))


@router.post("/registry/cadres/new")
async def create_cadre(ctx: Ctx = permit(CADRE_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_create, ctx, form)


def _create(ctx: Ctx, form: dict[str, str]) -> Response:
    try:
        data = CadreIn.model_validate(clean(_unit(ctx, _hometown(ctx, form)), booleans=("party_member",)))
        cadre = service.create_cadre(ctx.session, actor=ctx.principal, protector=Protector.of(ctx.settings), data=data)
    except ValidationError as exc:
        errors = field_errors(exc)
    except NotFound:
        raise  # another area's division or unit: the same 404 page as a missing one, not a field error
    except DomainError as exc:
        errors = domain_errors(exc)
    else:
        return redirect(url_of(cadre), ctx.request)
    return render(ctx.request, "cadres/form.html", _form_context(ctx, None, form, errors), status=422)


def _detail(ctx: Ctx, cadre: Cadre, **extra: Any) -> dict[str, Any]:
    items = postings.postings_of(ctx.session, cadre)
    changes, _cursor = queries.history_of(ctx.session, cadre, limit=20)
    return {
        **_common(ctx),
        "c": cadre,
        "profile": profile(ctx.session, [cadre])[cadre.id],
        "assessor": user_names(ctx.session, {str(cadre.assessed_by)}).get(str(cadre.assessed_by)),
        "profile_form": {f: str(getattr(cadre, f) or "") for f in FACTORS},
        "profile_errors": {},
        "postings": items,
        "current": next((p for p in items if not p.end_date), None),
        "history": told(ctx.session, changes),
        "unit_name": units.names(ctx.session, {cadre.unit_id}).get(cadre.unit_id or 0),
        "area_names": _names(ctx, {cadre.division_code, cadre.hometown_code or "", *(p.village_code for p in items)}),
        "facts": eligibility(
            birth_date=cadre.birth_date,
            work_started=cadre.work_started,
            party_member=cadre.party_member,
            party_joined=cadre.party_joined,
            on=date.today(),
        ),
        "form": {},
        "errors": {},
        **extra,
    }


@router.get("/registry/cadres/{county_code}/{cadre_id}")
def cadre_page(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(CADRE_READ)) -> Response:
    return render(
        ctx.request, "cadres/detail.html", _detail(ctx, service.access_cadre(ctx.session, county_code, cadre_id))
    )


@router.get("/registry/cadres/{county_code}/{cadre_id}/edit")
def edit_cadre_form(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(CADRE_WRITE)) -> Response:
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    return render(ctx.request, "cadres/form.html", _form_context(ctx, cadre, None, {}))


@router.post("/registry/cadres/{county_code}/{cadre_id}/edit")
async def edit_cadre(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(CADRE_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_edit, ctx, county_code, cadre_id, form)


def _edit(ctx: Ctx, county_code: str, cadre_id: int, form: dict[str, str]) -> Response:
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    try:
        picked = _unit(ctx, _hometown(ctx, form))
        data = CadrePatch.model_validate(clean(picked, booleans=("party_member",), keep_blank=CLEARABLE))
        service.update_cadre(
            ctx.session, actor=ctx.principal, protector=Protector.of(ctx.settings), cadre=cadre, data=data
        )
    except ValidationError as exc:
        errors = field_errors(exc)
    except DomainError as exc:
        errors = domain_errors(exc)
    else:
        return redirect(href("cadre", county_code, cadre_id), ctx.request)
    return render(ctx.request, "cadres/form.html", _form_context(ctx, cadre, form, errors), status=422)


@router.post("/registry/cadres/{county_code}/{cadre_id}/reveal")
async def reveal_cadre(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(PERSON_UNMASK)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_reveal, ctx, county_code, cadre_id, form)


def _reveal(ctx: Ctx, county_code: str, cadre_id: int, form: dict[str, str]) -> Response:
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    return reveal_answer(
        ctx,
        form,
        CadreRevealIn,
        lambda field, reason: service.reveal(
            ctx.session,
            actor=ctx.principal,
            protector=Protector.of(ctx.settings),
            cadre=cadre,
            field=field,
            reason=reason,
        ),
    )


@router.post("/registry/cadres/{county_code}/{cadre_id}/postings")
async def post_cadre(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(CADRE_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_post, ctx, county_code, cadre_id, form)


def _post(ctx: Ctx, county_code: str, cadre_id: int, form: dict[str, str]) -> Response:
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    return settle(
        ctx,
        lambda: postings.post_cadre(
            ctx.session, actor=ctx.principal, cadre=cadre, data=PostingIn.model_validate(clean(_village(ctx, form)))
        ),
        "village_code",
        then=href("cadre", county_code, cadre_id),
        template="cadres/detail.html",
        again=lambda errors: _detail(ctx, cadre, form=form, errors=errors),
    )


@router.post("/registry/cadres/{county_code}/{cadre_id}/profile")
async def assess_cadre(county_code: CountyCode, cadre_id: RowId, ctx: Ctx = permit(CADRE_ASSESS)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_assess, ctx, county_code, cadre_id, form)


def _assess(ctx: Ctx, county_code: str, cadre_id: int, form: dict[str, str]) -> Response:
    cadre = service.access_cadre(ctx.session, county_code, cadre_id)
    return settle(
        ctx,
        lambda: assessment.assess_cadre(
            ctx.session, actor=ctx.principal, cadre=cadre, data=ProfileIn.model_validate(clean(form))
        ),
        "political",
        then=href("cadre", county_code, cadre_id) + "#profile",
        template="cadres/detail.html",
        again=lambda errors: _detail(ctx, cadre, profile_form=form, profile_errors=errors),
    )


@router.post("/registry/postings/{county_code}/{posting_id}/end")
async def end_posting(county_code: CountyCode, posting_id: RowId, ctx: Ctx = permit(CADRE_WRITE)) -> Response:
    form = await form_values(ctx.request)
    return await run_in_threadpool(_end, ctx, county_code, posting_id, form)


def _end(ctx: Ctx, county_code: str, posting_id: int, form: dict[str, str]) -> Response:
    posting, cadre = postings.access_posting(ctx.session, county_code, posting_id)
    return settle(
        ctx,
        lambda: postings.end_posting(
            ctx.session, actor=ctx.principal, posting=posting, cadre=cadre, data=PostingEnd.model_validate(clean(form))
        ),
        "end_date",
        then=url_of(cadre),
        template="cadres/detail.html",
        again=lambda errors: _detail(ctx, cadre, form=form, errors=errors),
    )


# The paths of before answer a redirect to these (core.addressing).
page("cadre", Cadre, "/registry/cadres")
page("posting", CadrePosting, "/registry/postings")
moved(router, {"cadre_id": Cadre, "posting_id": CadrePosting})
