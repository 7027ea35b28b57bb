"""Snapshots API: freeze a county's year, list the frozen years, compare one with the
current register or a later year (counts, a paged list, an export)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from zhucun.core.disclosure import record_list_export

from ...core import export as exporting
from ...core.deps import Ctx, permit
from ..permissions import SNAPSHOT_READ, SNAPSHOT_WRITE
from . import queries, service
from .labels import COLUMNS
from .schemas import ChangeOut, ChangePage, ComparisonOut, SnapshotIn, SnapshotOut, Transition, VillageChanges

router = APIRouter(prefix="/api/v1", tags=["snapshots"])
County = Annotated[str, Path(pattern=r"^\d{6}$", description="the county's six-digit code")]
SnapshotYear = Annotated[int, Path(ge=1980, le=2100)]
With = Annotated[str, Query(alias="with", pattern=r"^(current|\d{4})$", description="current, or a later frozen year")]
Kind = Annotated[Literal[queries.KINDS] | None, Query(description="one kind of change; all by default")]  # type: ignore[valid-type]


@router.post("/snapshots", response_model=SnapshotOut, status_code=201)
def freeze(body: SnapshotIn, ctx: Ctx = permit(SNAPSHOT_WRITE)) -> SnapshotOut:
    """Freeze the county's register as the year's snapshot; a frozen year is refused (409)
    unless an administrator replaces it with a reason."""
    snapshot = service.freeze(
        ctx.session, actor=ctx.principal, county=body.county, year=body.year, reason=body.reason, replace=body.replace
    )
    return SnapshotOut.model_validate(snapshot)


@router.get("/snapshots", response_model=list[SnapshotOut])
def list_snapshots(ctx: Ctx = permit(SNAPSHOT_READ)) -> list[SnapshotOut]:
    """The frozen years of the counties in the caller's area."""
    return [SnapshotOut.model_validate(snapshot) for snapshot, _name in queries.snapshots(ctx.session, ctx.scope)]


@router.get("/snapshots/{county_code}/{year}/compare", response_model=ComparisonOut)
def compare(
    county_code: County, year: SnapshotYear, ctx: Ctx = permit(SNAPSHOT_READ), with_: With = "current"
) -> ComparisonOut:
    """What changed since the year was frozen: counts per village and household status transitions."""
    later = queries.later_year(ctx.session, ctx.scope, county_code, year, with_)
    found = queries.compare(ctx.session, ctx.scope, county_code, year, later)
    return ComparisonOut(
        county_code=county_code,
        year=year,
        against=with_,
        totals=found.totals,
        villages=[VillageChanges(**v) for v in found.villages],
        transitions=[Transition(before=b, after=a, count=n) for b, a, n in found.transitions],
    )


@router.get("/snapshots/{county_code}/{year}/compare/changes", response_model=ChangePage)
def changes(
    county_code: County,
    year: SnapshotYear,
    ctx: Ctx = permit(SNAPSHOT_READ),
    kind: Kind = None,
    with_: With = "current",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> ChangePage:
    """The changes (of one kind, or all), listed by kind, village, household and member."""
    later = queries.later_year(ctx.session, ctx.scope, county_code, year, with_)
    items, next_cursor = queries.page(
        ctx.session, ctx.scope, county_code, year, later, kind, cursor=cursor, limit=limit
    )
    return ChangePage(items=[ChangeOut.model_validate(c) for c in items], next_cursor=next_cursor)


@router.get("/snapshots/{county_code}/{year}/compare/export.{fmt}", response_class=Response)
def export_changes(
    county_code: County,
    year: SnapshotYear,
    fmt: Literal["csv", "xlsx"],
    ctx: Ctx = permit(SNAPSHOT_READ),
    with_: With = "current",
) -> Response:
    """Every change as CSV or Excel."""
    later = queries.later_year(ctx.session, ctx.scope, county_code, year, with_)
    record_list_export(ctx, "snapshot_changes", {"county": county_code, "year": year, "with": with_})
    rows = queries.stream(ctx.session, ctx.scope, county_code, year, later)
    return exporting.response(fmt, f"changes-{county_code}-{year}-{with_}", COLUMNS, rows)
