"""Terms API shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from zhucun.core.fields import EventDate
from zhucun.selection.helpers.schemas import ReleaseOut


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TermOut(BaseModel):
    posting_id: int
    county_code: str
    cadre_id: int
    name: str
    village_code: str
    role: str
    start_date: date
    term: int
    term_end: date
    days_left: int | None = None
    # Days since the term ended, for a term ended and not rotated yet.
    days_over: int | None = None


class EndingOut(BaseModel):
    county: str
    days: int
    total: int
    items: list[TermOut]


class EndedOut(BaseModel):
    county: str
    total: int
    items: list[TermOut]


class RotateIn(_In):
    term: int = Field(ge=2000, le=2100)
    on: EventDate | None = None
    reason: str | None = Field(default=None, max_length=500)


class RotateOut(BaseModel):
    term: int
    next_term: int
    ended: int
    marked: list[str]
    # The rotated cadres' households: moved to other helpers, or left without (named).
    helpers: ReleaseOut | None = None


class TickIn(_In):
    note: str | None = Field(default=None, max_length=200)


class TickOut(BaseModel):
    item: str
    label: str
    ticked_by: str | None = None
    ticked_at: datetime | None = None


class HandoverOut(BaseModel):
    county_code: str
    posting_id: int
    cadre_id: int
    village_code: str
    status: str
    opened_on: date | None
    closed_on: date | None
    closed_by: str | None
    items: list[TickOut]


class RecallIn(_In):
    county_code: str = Field(pattern=r"^\d{6}$")
    posting_id: int = Field(ge=1, le=2**63 - 1)
    reasons: str = Field(min_length=2, max_length=500)


class RecallActIn(_In):
    action: Literal["pass", "reject", "note"]
    reason: str | None = Field(default=None, max_length=500)


class ReplaceIn(_In):
    start_date: EventDate
    reason: str = Field(min_length=2, max_length=500)


class RecallOut(BaseModel):
    county_code: str
    id: int
    village_code: str
    step: str
    status: str
    opened_on: date
    decided_on: date | None
    facts: dict[str, Any]
    replacement: dict[str, Any] | None = None


class ListIn(_In):
    term: int = Field(ge=2000, le=2100)
    kind: Literal["commendation", "promotion", "recall"]
    cadre_id: int = Field(ge=1, le=2**63 - 1)
    reason: str = Field(min_length=2, max_length=300)


class ListEntryOut(BaseModel):
    county_code: str
    id: int
    term: int
    kind: str
    cadre_id: int
    name: str
    reason: str
    source: str
