"""Identification request and response schemas."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["registration", "monitoring", "exit"]
ActionKind = Literal["pass", "sign", "reject", "note"]


class ReviewIn(BaseModel):
    """A village democratic review (民主评议)."""

    model_config = ConfigDict(extra="forbid")
    date: date
    attendees: int = Field(ge=1, le=100000)
    votes_for: int = Field(ge=0)
    votes_against: int = Field(ge=0)
    abstaining: int = Field(ge=0)
    minutes: str = Field(min_length=1, max_length=20000)


class CaseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Kind
    household_id: int = Field(ge=1, le=2**63 - 1)
    category: Literal["21", "22", "23"] | None = None
    grounds: str | None = Field(default=None, max_length=500)


class ActionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: ActionKind
    body: Literal["work_team", "village_committee"] | None = None
    reason: str | None = Field(default=None, max_length=2000)
    review: ReviewIn | None = None


class BatchIn(ActionIn):
    kind: Kind | None = None
    case_ids: list[int] | None = Field(default=None, max_length=500)


class ObjectionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=2, max_length=2000)
    name: str | None = Field(default=None, max_length=50)
    contact: str | None = Field(default=None, max_length=50)


class CaseOut(BaseModel):
    # A case is addressed by (county_code, id): /api/v1/cases/{county_code}/{id}.
    county_code: str
    id: int
    kind: str
    village_code: str
    village_name: str | None = None
    household_id: int | None
    head_name: str | None = None
    step: str
    step_label: str
    status: str
    round: int
    opened_on: date
    step_entered_on: date
    notice_ends_on: date | None
    due_on: date | None
    lateness: str
    clock_due_on: date | None = None
    clock: str = "ok"
    related: bool
    related_path: str | None
    escalated: bool
    escalated_to: str | None = None  # township or county, by the escalation sweep
    escalated_on: date | None = None
    signatures: list[dict[str, str]] = []
    failed_rules: list[str] = []


class CasePage(BaseModel):
    items: list[CaseOut]
    total: int
    next_cursor: str | None = None


class NoticeOut(BaseModel):
    county_code: str
    id: int
    case_id: int
    kind: str
    step: str
    starts_on: date
    ends_on: date
    running: bool
    interrupted: bool
    facts: dict[str, str | int | None]
