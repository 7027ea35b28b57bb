"""Import API, the same for every kind the mechanisms register: upload a file (or check it
without writing) at ``/api/v1/imports/{kind}``, its blank templates, the kinds the caller
may import, the one history of imports, one import with its errors, the error report.

The routes are made per kind, each declaring its kind's permission (so the route × role
tests cover a new kind by themselves); ``router`` is built when the app is, from the
manifests of that moment."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response

from zhucun.core.deps import Ctx, permit
from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l
from zhucun.core.imports import queries, report, service, template_files
from zhucun.core.imports.files import Source
from zhucun.core.imports.kinds import Kind, kinds
from zhucun.core.imports.permissions import IMPORT_READ
from zhucun.core.imports.schemas import ImportDetail, ImportKindOut, ImportOut, ImportPage, ImportResult, ProblemOut
from zhucun.core.pagination import int_id

ImportId = Annotated[int, int_id()]
Upload = Annotated[
    UploadFile, File(description="CSV (UTF-8 or GBK) or .xlsx, one row per record, headed as the template")
]
DryRun = Annotated[bool, Form(description="check only; nothing is written")]
DETAIL_PROBLEMS = 200
NO_SUCH_KIND = _l("There is no import of {value}.")


def checked_kind(name: str | None) -> str | None:
    """A kind named in a filter: one the mechanisms offer, or a located 422."""
    if name and name not in kinds():
        raise Invalid(NO_SUCH_KIND, field="kind", code="unknown_import_kind", value=name)
    return name or None


def result(outcome: service.Outcome) -> ImportResult:
    return ImportResult(
        import_id=outcome.import_id,
        kind=outcome.kind,
        dry_run=outcome.dry_run,
        sha256=outcome.sha256,
        rows=outcome.rows,
        counts=outcome.counts,
        **{key: outcome.counts.get(key, 0) for key in ("households", "members", "incomes", "cadres")},
        notes=[ProblemOut(row=n.row, column=n.column, code=n.code, message=n.message) for n in outcome.notes],
    )


def _upload_route(router: APIRouter, kind: Kind) -> None:
    def upload(file: Upload, ctx: Ctx = permit(kind.permission), dry_run: DryRun = False) -> ImportResult:
        outcome = service.import_file(
            ctx.session,
            kind,
            actor=ctx.principal,
            source=Source(file.file, file.filename or ""),
            settings=ctx.settings,
            dry_run=dry_run,
        )
        return result(outcome)

    upload.__name__ = f"import_{kind.name}"
    upload.__doc__ = (
        f"Import a file of {kind.name}, all or nothing; 422 lists every error by row and column, "
        "409 when the same file was imported before."
    )
    router.add_api_route(f"/{kind.name}", upload, methods=["POST"], response_model=ImportResult)


def _template_route(router: APIRouter, kind: Kind, fmt: str) -> None:
    # Fixed files rather than one route with parameters: a template belongs to no area.
    def download(ctx: Ctx = permit(IMPORT_READ)) -> Response:
        return Response(
            template_files.template(kind, fmt),
            media_type=template_files.MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{template_files.filename(kind, fmt)}"'},
        )

    download.__name__ = f"template_{kind.name}_{fmt}"
    download.__doc__ = f"The {kind.name} template as .{fmt}."
    router.add_api_route(f"/templates/{kind.name}.{fmt}", download, methods=["GET"], response_class=Response)


def list_kinds(ctx: Ctx = permit(IMPORT_READ)) -> list[ImportKindOut]:
    """The kinds of import, each with whether the caller may import it and its templates."""
    return [
        ImportKindOut(
            name=kind.name,
            label=str(kind.label),
            may_import=ctx.principal.can(kind.permission),
            templates={fmt: f"/api/v1/imports/templates/{kind.name}.{fmt}" for fmt in template_files.FORMATS},
        )
        for kind in kinds().values()
    ]


def list_imports(
    ctx: Ctx = permit(IMPORT_READ),
    kind: Annotated[str | None, Query(max_length=20)] = None,
    status: Literal["done", "rejected", "checked"] | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ImportPage:
    """The history of imports of every kind in the caller's area, newest first."""
    items, next_cursor = queries.list_imports(
        ctx.session, kind=checked_kind(kind), status=status, cursor=cursor, limit=limit
    )
    return ImportPage(items=[ImportOut.model_validate(b) for b in items], next_cursor=next_cursor)


def get_import(import_id: ImportId, ctx: Ctx = permit(IMPORT_READ)) -> ImportDetail:
    """One import, with the first of its errors."""
    batch = queries.access_import(ctx.session, import_id)
    listed = queries.problems(ctx.session, batch, DETAIL_PROBLEMS)
    detail = ImportDetail.model_validate(batch)
    detail.problems = [ProblemOut(**p) for p in queries.problem_dicts(listed)]
    detail.problems_listed = queries.problem_count(ctx.session, batch)
    return detail


def error_report(import_id: ImportId, ctx: Ctx = permit(IMPORT_READ)) -> Response:
    """The errors of a refused or checked import as a workbook, in the caller's language."""
    batch = queries.access_import(ctx.session, import_id)
    body = report.report_xlsx(batch, queries.problems(ctx.session, batch))
    return Response(
        body,
        media_type=template_files.MEDIA_TYPES["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="{report.filename(batch)}"'},
    )


def build_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/imports", tags=["imports"])
    for kind in kinds().values():
        _upload_route(router, kind)
    router.add_api_route("", list_imports, methods=["GET"], response_model=ImportPage)
    router.add_api_route("/kinds", list_kinds, methods=["GET"], response_model=list[ImportKindOut])
    for kind in kinds().values():
        for fmt in template_files.FORMATS:
            _template_route(router, kind, fmt)
    router.add_api_route("/{import_id}", get_import, methods=["GET"], response_model=ImportDetail)
    router.add_api_route("/{import_id}/report.xlsx", error_report, methods=["GET"], response_class=Response)
    return router


def __getattr__(name: str) -> Any:
    # Built on each use (the app takes it once): an app made after a kind is registered —
    # a test's, or a mechanism's added at run time — offers its routes.
    if name == "router":
        return build_router()
    raise AttributeError(name)
