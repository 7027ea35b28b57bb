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
    counts: dict[str, int]  # by the kind's own names
    # The counts of the first two kinds, as the API has always given them (0 for other kinds).
    households: int = 0
    members: int = 0
    incomes: int = 0
    cadres: int = 0
    # Not errors: what the clerk should check although the file was accepted.
    notes: list[ProblemOut] = []


class ImportKindOut(BaseModel):
    """A kind of import the mechanisms offer."""

    name: str
    label: str
    may_import: bool
    templates: dict[str, str]  # format → the blank template's path
