"""What the import API answers."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

from zhucun.core.pagination import Page


class ImportOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    status: str
    filename: str
    sha256: str
    size: int
    division_code: str | None
    rows: int
    households: int
    members: int
    errors: int
    actor_name: str
    started_at: datetime
    finished_at: datetime | None


class ImportPage(Page[ImportOut]):
    pass


class ProblemOut(BaseModel):
    row: int | None
    column: str | None
    code: str
    message: str


class ImportDetail(ImportOut):
    problems: list[ProblemOut] = []
    problems_listed: int = 0


class ImportResult(BaseModel):
    """A file imported, or checked without writing (dry_run)."""

    import_id: int
    kind: str
    dry_run: bool
    sha256: str
    rows: int
    households: int
    members: int
    incomes: int
    cadres: int
    # Not errors: what the clerk should check although the file was accepted.
    notes: list[ProblemOut] = []
