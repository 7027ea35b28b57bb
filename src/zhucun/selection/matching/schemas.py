"""Selection for a term: request and response bodies."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Role = Literal["first_secretary", "member"]


class MarkIn(BaseModel):
    needs: list[str] = Field(default_factory=list, max_length=20)
    team_size: int = Field(3, ge=1, le=20)
    note: str | None = Field(None, max_length=200)


class MarkedOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    term: int
    village_code: str
    needs: list[str]
    team_size: int
    note: str | None


class NominationIn(BaseModel):
    note: str | None = Field(None, max_length=200)


class NominationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    term: int
    cadre_id: int
    unit_id: int | None
    note: str | None


class Fault(BaseModel):
    model_config = ConfigDict(extra="allow")
    code: str


class CandidateOut(BaseModel):
    cadre_id: int
    name: str
    first_secretary: bool
    member: bool
    faults: list[Fault]


class MatchIn(BaseModel):
    dry_run: bool = False


class AssignmentOut(BaseModel):
    village_code: str
    cadre_id: int
    role: Role


class UnfilledOut(BaseModel):
    village_code: str
    missing: int


class RuleOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    code: str
    label: str


class RefusedOut(BaseModel):
    """A nominated cadre kept out of a village by a hard rule, each rule named."""

    village_code: str
    cadre_id: int
    rules: list[RuleOut]


class IneligibleOut(BaseModel):
    """A nominated cadre failing eligibility rules (for one role or both)."""

    cadre_id: int
    first_secretary: bool
    member: bool
    rules: list[RuleOut]


class MatchOut(BaseModel):
    objective: float
    bound: float
    gap: float
    greedy_objective: float
    greedy_unfilled: int
    method: str
    unfilled: list[UnfilledOut]
    assignments: list[AssignmentOut]
    refused: list[RefusedOut] = Field(default_factory=list)
    ineligible: list[IneligibleOut] = Field(default_factory=list)


class EditIn(BaseModel):
    role: Role
    cadre_id: int = Field(ge=1, le=2**63 - 1)
    replaces: int | None = Field(None, ge=1, le=2**63 - 1)


class ApproveIn(BaseModel):
    start_date: date
    reason: str = Field(min_length=2, max_length=500)


class ApprovedOut(BaseModel):
    postings: int


class QuotaIn(BaseModel):
    county: str = Field(pattern=r"^\d{6}0{6}$", description="the county (12 digits) where the quota holds")
    quota: int = Field(ge=1, le=10_000)


class QuotaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    term: int
    unit_id: int
    division_code: str
    quota: int


class CadreKey(BaseModel):
    county_code: str = Field(pattern=r"^\d{6}$")
    cadre_id: int = Field(ge=1, le=2**63 - 1)


class NominationsIn(BaseModel):
    """Cadres to nominate for a term at once (those already nominated are skipped)."""

    cadres: list[CadreKey] = Field(min_length=1, max_length=500)
    note: str | None = Field(None, max_length=200)


class NominatedOut(BaseModel):
    nominated: int
    skipped: int
