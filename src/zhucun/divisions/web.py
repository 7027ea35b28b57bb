"""Division pages: a tree browser with search, village details, edits and imports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Path, Query, UploadFile
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from ..core import pickers
from ..core.audit import AuditEntry
from ..core.deps import Ctx, permit
from ..core.errors import Invalid, Rejected
from ..core.http import translate_validation
from ..core.i18n import _, _l
from ..core.permissions import AUDIT_READ, DIVISION_IMPORT, DIVISION_READ, DIVISION_WRITE
from ..core.web import redirect, render, render_names
from . import (
    catalogue,  # noqa: F401  (registers the urban-rural labels the village page shows)
    queries,
    service,
)
from .models import FLAGS
from .rules import LEVEL_LABELS
from .schemas import DivisionPatch

router = APIRouter(include_in_schema=False)
Code = Annotated[str, Path(pattern=r"^\d{12}$")]
FLAG_LABELS = {
    "is_poor_village": _l("Poor village"),
    "is_exited": _l("Exited poverty"),
    "is_key_village": _l("Key assistance village"),
    "is_weak_branch": _l("Weak party branch"),
    "is_relocation_site": _l("Relocation site"),
    "is_ethnic_area": _l("Ethnic area"),
    "is_western": _l("Western region"),
}


def _common(ctx: Ctx) -> dict[str, Any]:
    return {
        "level_labels": LEVEL_LABELS,
        "flag_labels": FLAG_LABELS,
        "can_write": ctx.principal.can(DIVISION_WRITE),
        "can_import": ctx.principal.can(DIVISION_IMPORT),
    }


@router.get("/divisions")
def index(
    ctx: Ctx = permit(DIVISION_READ),
    q: Annotated[str | None, Query(max_length=50)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    if q and q.strip():
        items, next_cursor = queries.list_divisions(ctx.session, q=q, cursor=cursor, limit=50)
        return render(
            ctx.request,
            "divisions/search.html",
            {
                **_common(ctx),
                "q": q,
                "items": items,
                "next_cursor": next_cursor,
                "parents": queries.with_parents(ctx.session, items),
            },
        )
    roots = queries.roots(ctx.session)
    return render(
        ctx.request,
        "divisions/index.html",
        {**_common(ctx), "roots": roots, "counts": queries.child_counts(ctx.session, [d.code for d in roots])},
    )


@router.get("/divisions/pick")
def pick(
    ctx: Ctx = permit(DIVISION_READ),
    level: Annotated[str | None, Query(pattern=r"^(province|prefecture|county|township|village)?$")] = None,
    anywhere: Annotated[str | None, Query(pattern=r"^1?$")] = None,
) -> Response:
    """A division picker's matches: names containing what was typed, each with its path; in
    the reader's area, or with ``anywhere=1`` in all of China (a hometown)."""
    text = pickers.typed(ctx.request)
    everywhere = anywhere == "1"
    found = queries.list_divisions(ctx.session, q=text, level=level or None, limit=12, everywhere=everywhere)[0]
    found = found if text else []
    names = render_names(ctx)
    names.prefetch(d.code for d in found)
    # Across the country the province says which of the many 新村 is meant.
    top = "province" if everywhere else "prefecture"
    picks = [{"code": d.code, "label": d.name, "detail": names.division_path(d.code, top)} for d in found]
    return render(ctx.request, "_picks.html", {"picks": picks, "typed": text})


@router.get("/divisions/import")
def import_form(ctx: Ctx = permit(DIVISION_IMPORT)) -> Response:
    return render(ctx.request, "divisions/import.html", _common(ctx))


@router.post("/divisions/import")
def import_table(
    file: Annotated[UploadFile, File()],
    ctx: Ctx = permit(DIVISION_IMPORT),
    update: Annotated[str, Form(max_length=5)] = "",
    dry_run: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    try:
        result = service.import_divisions(
            ctx.session,
            actor=ctx.principal,
            data=file.file.read(),
            filename=file.filename or "",
            update_existing=bool(update),
            dry_run=bool(dry_run),
        )
    except Rejected as exc:
        return render(ctx.request, "divisions/import.html", {**_common(ctx), "rejected": exc}, status=422)
    return render(ctx.request, "divisions/import.html", {**_common(ctx), "result": result, "dry_run": bool(dry_run)})


def _detail_context(ctx: Ctx, code: str) -> dict[str, Any]:
    division = service.access_division(ctx.session, code)
    kids = queries.children(ctx.session, code)
    history: list[AuditEntry] = []
    if ctx.principal.can(AUDIT_READ) or ctx.principal.can(DIVISION_WRITE):
        history = list(
            ctx.session.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity == "division", AuditEntry.entity_id == code)
                .order_by(AuditEntry.at.desc())
                .limit(20)
            )
        )
    return {
        **_common(ctx),
        "d": division,
        "trail": queries.breadcrumb(ctx.session, division),
        "children": kids,
        "counts": queries.child_counts(ctx.session, [k.code for k in kids]),
        "groups": queries.groups(ctx.session, code),
        "history": history,
    }


@router.get("/divisions/{code}")
def detail(code: Code, ctx: Ctx = permit(DIVISION_READ)) -> Response:
    return render(ctx.request, "divisions/detail.html", _detail_context(ctx, code))


@router.get("/divisions/{code}/children")
def children(code: Code, ctx: Ctx = permit(DIVISION_READ)) -> Response:
    service.access_division(ctx.session, code)
    kids = queries.children(ctx.session, code)
    return render(
        ctx.request,
        "divisions/_children.html",
        {**_common(ctx), "children": kids, "counts": queries.child_counts(ctx.session, [k.code for k in kids])},
    )


@router.get("/divisions/{code}/edit")
def edit_form(code: Code, ctx: Ctx = permit(DIVISION_WRITE)) -> Response:
    return render(
        ctx.request,
        "divisions/edit.html",
        {**_common(ctx), "d": service.access_division(ctx.session, code), "errors": {}, "flags": FLAGS},
    )


def _form_changes(form: dict[str, str]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for name in (
        "name",
        "urban_rural_code",
        "latitude",
        "longitude",
        "checkin_radius_m",
        "population",
        "households",
        "collective_income",
        "exited_year",
        "reason",
    ):
        value = (form.get(name) or "").strip()
        raw[name] = value or None
    for flag in FLAGS:
        raw[flag] = form.get(flag) == "on"
    if raw["name"] is None:
        raw.pop("name")
    return raw


@router.post("/divisions/{code}/edit")
async def edit(code: Code, ctx: Ctx = permit(DIVISION_WRITE)) -> Response:
    form = {k: v for k, v in (await ctx.request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_save_edit, ctx, code, form)


def _save_edit(ctx: Ctx, code: str, form: dict[str, str]) -> Response:
    division = service.access_division(ctx.session, code)
    try:
        patch = DivisionPatch.model_validate(_form_changes(form))
    except ValidationError as exc:
        errors = {
            e["field"]: e["message"]
            for e in (translate_validation({**err, "loc": ("body", *err["loc"])}) for err in exc.errors())
        }
        return render(
            ctx.request,
            "divisions/edit.html",
            {**_common(ctx), "d": division, "errors": errors, "flags": FLAGS, "form": form},
            status=422,
        )
    changes = patch.model_dump(exclude={"reason"}, exclude_unset=True)
    try:
        service.update_division(
            ctx.session, actor=ctx.principal, division=division, changes=changes, reason=patch.reason
        )
    except Invalid as exc:
        if exc.field is None:
            raise
        return render(
            ctx.request,
            "divisions/edit.html",
            {**_common(ctx), "d": division, "errors": {exc.field: exc.message}, "flags": FLAGS, "form": form},
            status=422,
        )
    return redirect(f"/divisions/{code}", ctx.request)


__all__ = ["_", "router"]
