"""Helper API shapes."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Counts(BaseModel):
    households: int
    with_helper: int
    without_helper: int
    helpers_over_cap: int


class Row(Counts):
    code: str
    name: str


class CoverageOut(BaseModel):
    division: str
    total: Counts
    townships: list[Row]
    villages: list[Row]


class AssignIn(BaseModel):
    county: str = Field(pattern=r"^\d{12}$")


class ReleaseIn(BaseModel):
    reason: str = Field(min_length=1, max_length=200)


class SummaryOut(BaseModel):
    households: int
    assigned: int
    kept: int
    ended: int
    without: int
    helpers: int
    # Why some are left without: what the helpers can carry (helpers × cap) and what the
    # households in care weigh; the villages with households left without, most first.
    capacity: int
    weight: int
    cap: int
    without_villages: list[tuple[str, int]]


class ReleaseOut(BaseModel):
    """A leaving helper's households: how many, how many moved, and those left without."""

    households: int
    assigned: int
    without: int
    without_households: list[int]
