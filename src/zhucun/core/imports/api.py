"""Import API: upload a file of households and members or of cadres (or check it without
writing), the history of imports, one import with its errors, the error report, templates."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response

from zhucun.core.deps import Ctx, permit
from zhucun.core.imports import queries, report, service, template_files
from zhucun.core.imports.files import Source
from zhucun.core.imports.permissions import IMPORT_READ, IMPORT_WRITE
from zhucun.core.imports.schemas import ImportDetail, ImportOut, ImportPage, ImportResult, ProblemOut
from zhucun.core.pagination import int_id
from zhucun.selection.permissions import CADRE_IMPORT

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])
ImportId = Annotated[int, int_id()]
Upload = Annotated[UploadFile, File(description="CSV (UTF-8 or GBK) or .xlsx, one row per member or cadre")]
DryRun = Annotated[bool, Form(description="check only; nothing is written")]
DETAIL_PROBLEMS = 200


def _run(ctx: Ctx, kind: str, file: UploadFile, dry_run: bool) -> ImportResult:
    do = service.import_members if kind == "members" else service.import_cadres
    outcome = do(
        ctx.session,
        actor=ctx.principal,
        source=Source(file.file, file.filename or ""),
        settings=ctx.settings,
        dry_run=dry_run,
    )
    return ImportResult(
        import_id=outcome.import_id,
        kind=outcome.kind,
        dry_run=outcome.dry_run,
        sha256=outcome.sha256,
        rows=outcome.rows,
        households=outcome.households,
        members=outcome.members,
        incomes=outcome.incomes,
        cadres=outcome.cadres,
        notes=[ProblemOut(row=n.row, column=n.column, code=n.code, message=n.message) for n in outcome.notes],
    )


@router.post("/members", response_model=ImportResult)
def import_members(file: Upload, ctx: Ctx = permit(IMPORT_WRITE), dry_run: DryRun = False) -> ImportResult:
    """Import households and members, all or nothing; 422 lists every error by row and column,
    409 when the same file was imported before."""
    return _run(ctx, "members", file, dry_run)


@router.post("/cadres", response_model=ImportResult)
def import_cadres(file: Upload, ctx: Ctx = permit(CADRE_IMPORT), dry_run: DryRun = False) -> ImportResult:
    """Import cadres of dispatching units, all or nothing."""
    return _run(ctx, "cadres", file, dry_run)


@router.get("", response_model=ImportPage)
def list_imports(
    ctx: Ctx = permit(IMPORT_READ),
    kind: Literal["members", "cadres"] | None = None,
    status: Literal["done", "rejected", "checked"] | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ImportPage:
    """The history of imports in the caller's area, newest first."""
    items, next_cursor = queries.list_imports(ctx.session, kind=kind, status=status, cursor=cursor, limit=limit)
    return ImportPage(items=[ImportOut.model_validate(b) for b in items], next_cursor=next_cursor)


def _template_route(kind: str, fmt: str) -> None:
    # Four fixed files rather than one route with parameters: a template belongs to no area.
    def download(ctx: Ctx = permit(IMPORT_READ)) -> Response:
        return Response(
            template_files.template(kind, fmt),
            media_type=template_files.MEDIA_TYPES[fmt],
            headers={"Content-Disposition": f'attachment; filename="{template_files.filename(kind, fmt)}"'},
        )

    download.__name__ = f"template_{kind}_{fmt}"
    download.__doc__ = f"The {kind} template as .{fmt}."
    router.add_api_route(f"/templates/{kind}.{fmt}", download, methods=["GET"], response_class=Response)


for _kind in ("members", "cadres"):
    for _fmt in template_files.FORMATS:
        _template_route(_kind, _fmt)


@router.get("/{import_id}", response_model=ImportDetail)
def get_import(import_id: ImportId, ctx: Ctx = permit(IMPORT_READ)) -> ImportDetail:
    """One import, with the first of its errors."""
    batch = queries.access_import(ctx.session, import_id)
    listed = queries.problems(ctx.session, batch, DETAIL_PROBLEMS)
    detail = ImportDetail.model_validate(batch)
    detail.problems = [ProblemOut(**p) for p in queries.problem_dicts(listed)]
    detail.problems_listed = queries.problem_count(ctx.session, batch)
    return detail


@router.get("/{import_id}/report.xlsx", response_class=Response)
def error_report(import_id: ImportId, ctx: Ctx = permit(IMPORT_READ)) -> Response:
    """The errors of a refused or checked import as a workbook, in the caller's language."""
    batch = queries.access_import(ctx.session, import_id)
    body = report.report_xlsx(batch, queries.problems(ctx.session, batch))
    return Response(
        body,
        media_type=template_files.MEDIA_TYPES["xlsx"],
        headers={"Content-Disposition": f'attachment; filename="{report.filename(batch)}"'},
    )
