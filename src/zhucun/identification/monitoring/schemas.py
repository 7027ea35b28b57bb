"""Monitoring API shapes: signalled households, the opening of cases for them, the sweep."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class SignalOut(BaseModel):
    county_code: str
    household_id: int
    household_no: str | None
    head_name: str | None
    village_code: str
    status: str
    income_per_head: float | None
    unavoidable_spending: float
    signals: list[str]
    state: str  # pending, monitored, in_case


class SignalPage(BaseModel):
    year: int
    line: float
    share: float
    households: int  # candidates read
    total: int  # signalled, after the filters
    items: list[SignalOut]


class OpenCasesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: Annotated[int, Field(ge=2015, le=2100)]
    household_ids: Annotated[list[Annotated[int, Field(ge=1, le=2**63 - 1)]], Field(min_length=1, max_length=500)]


class OpenedOut(BaseModel):
    opened: int
    cases: list[int]
    monitored: int
    in_case: int


class SweepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    on: date | None = None


class SweptCase(BaseModel):
    case_id: int
    escalated_to: str


class SweptOut(BaseModel):
    checked: int
    escalated: int
    # Signals not yet acted on in the area, as stored for the home page.
    pending: int
    cases: list[SweptCase]
