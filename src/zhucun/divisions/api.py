"""Division API: list and search with keyset pages, a division's details, edits, imports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Query, UploadFile

from ..core.deps import Ctx, permit
from ..core.permissions import DIVISION_IMPORT, DIVISION_READ, DIVISION_WRITE
from . import queries, service
from .schemas import DivisionDetail, DivisionOut, DivisionPage, DivisionPatch, GroupIn, GroupOut, ImportOut, Level

router = APIRouter(prefix="/api/v1/divisions", tags=["divisions"])
Code = Annotated[str, Path(pattern=r"^\d{12}$", description="12-digit statistical division code")]


@router.get("", response_model=DivisionPage)
def list_divisions(
    ctx: Ctx = permit(DIVISION_READ),
    parent: Annotated[str | None, Query(pattern=r"^\d{12}$")] = None,
    level: Level | None = None,
    q: Annotated[str | None, Query(max_length=50, description="name contains, or code prefix")] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> DivisionPage:
    items, next_cursor = queries.list_divisions(
        ctx.session, parent=parent, level=level, q=q, cursor=cursor, limit=limit
    )
    return DivisionPage(items=[DivisionOut.model_validate(d) for d in items], next_cursor=next_cursor)


@router.get("/{code}", response_model=DivisionDetail)
def get_division(code: Code, ctx: Ctx = permit(DIVISION_READ)) -> DivisionDetail:
    division = service.access_division(ctx.session, code)
    detail = DivisionDetail.model_validate(division)
    detail.groups = [GroupOut.model_validate(g) for g in queries.groups(ctx.session, code)]
    detail.children = queries.child_counts(ctx.session, [code]).get(code, 0)
    return detail


@router.patch("/{code}", response_model=DivisionOut)
def update_division(code: Code, body: DivisionPatch, ctx: Ctx = permit(DIVISION_WRITE)) -> DivisionOut:
    division = service.access_division(ctx.session, code)
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    return DivisionOut.model_validate(
        service.update_division(
            ctx.session, actor=ctx.principal, division=division, changes=changes, reason=body.reason
        )
    )


@router.get("/{code}/groups", response_model=list[GroupOut])
def list_groups(code: Code, ctx: Ctx = permit(DIVISION_READ)) -> list[GroupOut]:
    service.access_division(ctx.session, code)
    return [GroupOut.model_validate(g) for g in queries.groups(ctx.session, code)]


@router.post("/{code}/groups", response_model=GroupOut, status_code=201)
def add_group(code: Code, body: GroupIn, ctx: Ctx = permit(DIVISION_WRITE)) -> GroupOut:
    village = service.access_division(ctx.session, code)
    return GroupOut.model_validate(service.add_group(ctx.session, actor=ctx.principal, village=village, name=body.name))


@router.post("/import", response_model=ImportOut)
def import_table(
    file: Annotated[UploadFile, File(description="CSV: code,name,parent_code and optional attributes")],
    ctx: Ctx = permit(DIVISION_IMPORT),
    update: Annotated[bool, Form()] = False,
    dry_run: Annotated[bool, Form()] = False,
) -> ImportOut:
    """Import a code table (UTF-8 or GBK CSV) all or nothing; errors name row and column."""
    result = service.import_divisions(
        ctx.session,
        actor=ctx.principal,
        data=file.file.read(),
        filename=file.filename or "",
        update_existing=update,
        dry_run=dry_run,
    )
    return ImportOut(
        inserted=result.inserted, updated=result.updated, groups=result.groups, sha256=result.sha256, dry_run=dry_run
    )
