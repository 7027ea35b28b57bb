"""Shapes of the plans API."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Category = Literal["infrastructure", "industry", "culture"]
ProjectStatus = Literal["planned", "funded", "building", "done", "dropped"]


class CausesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    main_cause: str | None = Field(default=None, pattern=r"^\d{2}$")
    other_causes: list[str] = Field(default_factory=list, max_length=12)
    reason: str | None = Field(default=None, max_length=200)


class PlanIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    goal: str = Field(min_length=1, max_length=500)


class MeasureIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(min_length=1, max_length=16)
    target: str = Field(min_length=1, max_length=300)
    amount: Decimal | None = Field(default=None, ge=0, le=10**11, decimal_places=2)
    deadline: date


class ProgressIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    percent: int = Field(ge=0, le=100)
    note: str = Field(min_length=1, max_length=500)
    completed: bool = False
    result: str | None = Field(default=None, max_length=500)


class ProjectIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: int = Field(ge=2000, le=2100)
    category: Category
    name: str = Field(min_length=1, max_length=120)
    budget: Decimal = Field(ge=0, le=10**11, decimal_places=2)
    note: str | None = Field(default=None, max_length=2000)


class ProjectChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: ProjectStatus | None = None
    budget: Decimal | None = Field(default=None, ge=0, le=10**11, decimal_places=2)
    reason: str = Field(min_length=1, max_length=200)


class ProgressOut(BaseModel):
    entry_date: date
    percent: int
    note: str


class MeasureOut(BaseModel):
    id: int
    kind: str
    kind_label: str
    target: str
    amount: Decimal | None
    deadline: date
    status: str
    progress: int
    overdue: bool
    result: str | None
    completed_on: date | None
    entries: list[ProgressOut] = []


class PlanOut(BaseModel):
    county_code: str
    id: int
    household_id: int
    household_no: str
    head_name: str | None
    village_code: str
    goal: str
    helper: str | None
    main_cause: str | None
    other_causes: list[str]
    unanswered_causes: list[str]
    measures: list[MeasureOut]


class PlanRow(BaseModel):
    county_code: str
    id: int
    household_id: int
    household_no: str
    head_name: str | None
    village_code: str
    goal: str
    measures: int
    done: int
    overdue: int
    helper: str | None = None


class PlanPage(BaseModel):
    total: int
    items: list[PlanRow]


class ProjectOut(BaseModel):
    county_code: str
    id: int
    village_code: str
    year: int
    category: str
    name: str
    budget: Decimal
    status: str
    note: str | None


class VillagePlanOut(BaseModel):
    village_code: str
    year: int | None
    budget: Decimal
    projects: list[ProjectOut]
