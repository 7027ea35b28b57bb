"""Snapshots in and out, and their comparison."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ...core.pagination import Page
from ..schemas import Year

County = Field(pattern=r"^\d{6}$", description="the county's six-digit code")


class SnapshotIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    county: str = County
    year: Year
    reason: str | None = Field(default=None, max_length=500)
    replace: bool = Field(default=False, description="replace a frozen year (administrators, with a reason)")


class SnapshotOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    county_code: str
    year: int
    frozen_at: datetime
    actor_name: str
    households: int
    members: int = Field(description="members on the roll")


class VillageChanges(BaseModel):
    village_code: str
    village_name: str | None
    households_added: int
    households_removed: int
    status_changed: int
    members_added: int
    members_removed: int
    members_moved: int


class Transition(BaseModel):
    before: str
    after: str
    count: int


class ComparisonOut(BaseModel):
    county_code: str
    year: int
    against: str = Field(description="current, or the later year compared with")
    totals: dict[str, int]
    villages: list[VillageChanges]
    transitions: list[Transition] = Field(description="household status changes, before → after")


class ChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    kind: str
    village_code: str
    household_id: int
    household_no: str
    member_id: int | None
    name: str | None
    before: str | None = Field(description="status (households, members) or household number (moves) before")
    after: str | None

    @field_validator("member_id")
    @classmethod
    def _household_changes_name_no_member(cls, value: int | None) -> int | None:
        return value or None


ChangePage = Page[ChangeOut]
