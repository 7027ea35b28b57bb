"""Import pages, the same for every kind: ``/imports`` lists the kinds the user may import
with their templates, above the one history of imports; ``/imports/{kind}`` uploads a file
(checked first with a dry run that previews its first rows, or imported at once) and shows
its errors with their downloadable report, or the result; ``/imports/{id}`` is one import.

As in api.py, the upload routes are made per kind with its permission, and ``router`` is
built when the app is."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response

from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import Conflict
from zhucun.core.i18n import _l
from zhucun.core.imports import queries, service, template_files
from zhucun.core.imports.api import checked_kind
from zhucun.core.imports.files import Source
from zhucun.core.imports.kinds import Kind, kinds
from zhucun.core.imports.permissions import IMPORT_READ
from zhucun.core.imports.problems import ImportRejected
from zhucun.core.pagination import count, int_id
from zhucun.core.web import render

ImportId = Annotated[int, int_id()]
SHOWN_ERRORS = 200
STATUS_LABELS = {"done": _l("Imported"), "rejected": _l("Refused"), "checked": _l("Checked (dry run)")}


def _common(ctx: Ctx) -> dict[str, Any]:
    registered = kinds()
    return {
        "kinds": registered,
        "kind_labels": {name: kind.label for name, kind in registered.items()},
        "status_labels": STATUS_LABELS,
        "importable": [kind for kind in registered.values() if ctx.principal.can(kind.permission)],
        "formats": template_files.FORMATS,
        # A kind's permission does not carry the history's: the links to the history are shown
        # only to those who may open it.
        "may_read_history": ctx.principal.can(IMPORT_READ),
    }


def history(
    ctx: Ctx = permit(IMPORT_READ),
    kind: Annotated[str | None, Query(max_length=20)] = None,
    status: Literal["done", "rejected", "checked"] | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    kind = checked_kind(kind)
    items, next_cursor = queries.list_imports(ctx.session, kind=kind, status=status, cursor=cursor)
    total = count(ctx.session, queries.imports_statement(kind=kind, status=status))
    context = {"items": items, "next_cursor": next_cursor, "kind": kind, "status": status, "total": total}
    return render(ctx.request, "imports/history.html", {**_common(ctx), **context})


def _upload_routes(router: APIRouter, kind: Kind) -> None:
    def form(ctx: Ctx = permit(kind.permission)) -> Response:
        return render(ctx.request, "imports/upload.html", {**_common(ctx), "kind": kind})

    def upload(
        file: Annotated[UploadFile, File()],
        ctx: Ctx = permit(kind.permission),
        dry_run: Annotated[str, Form(max_length=5)] = "",
    ) -> Response:
        return _upload(ctx, kind, file, bool(dry_run))

    form.__name__, upload.__name__ = f"{kind.name}_form", f"upload_{kind.name}"
    router.add_api_route(f"/imports/{kind.name}", form, methods=["GET"])
    router.add_api_route(f"/imports/{kind.name}", upload, methods=["POST"])


def _upload(ctx: Ctx, kind: Kind, file: UploadFile, dry_run: bool) -> Response:
    context: dict[str, Any] = {**_common(ctx), "kind": kind, "dry_run": dry_run, "filename": file.filename}
    status = 200
    try:
        context["outcome"] = service.import_file(
            ctx.session,
            kind,
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


def detail(import_id: ImportId, ctx: Ctx = permit(IMPORT_READ)) -> Response:
    batch = queries.access_import(ctx.session, import_id)
    shown = queries.problem_dicts(queries.problems(ctx.session, batch, SHOWN_ERRORS))
    return render(ctx.request, "imports/detail.html", {**_common(ctx), "batch": batch, "shown": shown})


def build_router() -> APIRouter:
    router = APIRouter(include_in_schema=False)
    router.add_api_route("/imports", history, methods=["GET"])
    for kind in kinds().values():
        _upload_routes(router, kind)
    router.add_api_route("/imports/{import_id}", detail, methods=["GET"])
    return router


def __getattr__(name: str) -> Any:
    # Built on each use, as api.router is: an app made after a kind is registered offers it.
    if name == "router":
        return build_router()
    raise AttributeError(name)
