"""Import pages: the history, uploading a file (checked first with a dry run that previews
its first rows, or imported at once), the errors with their downloadable report, the result."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response

from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import Conflict
from zhucun.core.i18n import _l
from zhucun.core.imports import queries, service
from zhucun.core.imports.files import Source
from zhucun.core.imports.permissions import IMPORT_READ, IMPORT_WRITE
from zhucun.core.imports.problems import ImportRejected
from zhucun.core.pagination import int_id
from zhucun.core.web import render
from zhucun.selection.permissions import CADRE_IMPORT

router = APIRouter(include_in_schema=False)
ImportId = Annotated[int, int_id()]
SHOWN_ERRORS = 200
KIND_LABELS = {"members": _l("Households and members"), "cadres": _l("Cadres")}
STATUS_LABELS = {"done": _l("Imported"), "rejected": _l("Refused"), "checked": _l("Checked (dry run)")}
PERMISSIONS = {"members": IMPORT_WRITE, "cadres": CADRE_IMPORT}


def _common(ctx: Ctx) -> dict[str, Any]:
    return {
        "kind_labels": KIND_LABELS,
        "status_labels": STATUS_LABELS,
        "can_import": {kind: ctx.principal.can(p) for kind, p in PERMISSIONS.items()},
    }


@router.get("/imports")
def history(
    ctx: Ctx = permit(IMPORT_READ),
    kind: Literal["members", "cadres"] | None = None,
    status: Literal["done", "rejected", "checked"] | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    items, next_cursor = queries.list_imports(ctx.session, kind=kind, status=status, cursor=cursor)
    return render(
        ctx.request,
        "imports/history.html",
        {**_common(ctx), "items": items, "next_cursor": next_cursor, "kind": kind, "status": status},
    )


@router.get("/imports/members")
def members_form(ctx: Ctx = permit(IMPORT_WRITE)) -> Response:
    return render(ctx.request, "imports/upload.html", {**_common(ctx), "kind": "members"})


@router.post("/imports/members")
def upload_members(
    file: Annotated[UploadFile, File()],
    ctx: Ctx = permit(IMPORT_WRITE),
    dry_run: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    return _upload(ctx, "members", file, bool(dry_run))


@router.get("/imports/cadres")
def cadres_form(ctx: Ctx = permit(CADRE_IMPORT)) -> Response:
    return render(ctx.request, "imports/upload.html", {**_common(ctx), "kind": "cadres"})


@router.post("/imports/cadres")
def upload_cadres(
    file: Annotated[UploadFile, File()],
    ctx: Ctx = permit(CADRE_IMPORT),
    dry_run: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    return _upload(ctx, "cadres", file, bool(dry_run))


def _upload(ctx: Ctx, kind: str, file: UploadFile, dry_run: bool) -> Response:
    do = service.import_members if kind == "members" else service.import_cadres
    context: dict[str, Any] = {**_common(ctx), "kind": kind, "dry_run": dry_run, "filename": file.filename}
    status = 200
    try:
        context["outcome"] = do(
            ctx.session,
            actor=ctx.principal,
            source=Source(file.file, file.filename or ""),
            settings=ctx.settings,
            dry_run=dry_run,
        )
    except ImportRejected as exc:
        context.update(rejected=exc, shown=exc.errors[:SHOWN_ERRORS])
        status = exc.status
    except Conflict as exc:
        context["conflict"] = exc
        status = exc.status
    # HTMX swaps only successful answers: the errors are the content of this one.
    htmx = ctx.request.headers.get("hx-request") == "true"
    return render(
        ctx.request, "imports/_result.html" if htmx else "imports/upload.html", context, status=200 if htmx else status
    )


@router.get("/imports/{import_id}")
def detail(import_id: ImportId, ctx: Ctx = permit(IMPORT_READ)) -> Response:
    batch = queries.access_import(ctx.session, import_id)
    shown = queries.problem_dicts(queries.problems(ctx.session, batch, SHOWN_ERRORS))
    return render(ctx.request, "imports/detail.html", {**_common(ctx), "batch": batch, "shown": shown})
