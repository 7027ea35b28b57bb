"""Duplicate registrations out, and a resolution in."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..schemas import Reason

Outcome = Literal["moved_out", "other_removal", "not_same_person"]


class ResolutionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: Outcome = Field(
        description="moved_out (迁出) or other_removal (其他减员) takes this registration off "
        "its household's roll; not_same_person marks it reviewed"
    )
    reason: Reason


class RegistrationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    visible: bool = Field(description="false: registered outside the caller's area, shown without name or place")
    county_code: str | None
    member_id: int | None
    name: str | None
    id_masked: str | None
    relation: str | None
    household_id: int | None
    household_no: str | None
    village_code: str | None
    village_name: str | None


class DuplicateOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    counties: int
    registrations: list[RegistrationOut]


class DuplicatePage(BaseModel):
    items: list[DuplicateOut]
    next_cursor: str | None = None
    total: int = Field(description="duplicated ID numbers in the area")
    across_counties: int = Field(description="of which registered in more than one county")
