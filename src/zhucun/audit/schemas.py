"""Audit schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..core.pagination import Page


class AuditEntryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    ref: str
    county_code: str
    seq: int
    at: datetime
    actor_id: int | None
    actor_name: str
    via: str
    action: str
    entity: str
    entity_id: str | None
    division_code: str | None
    before: Any = None
    after: Any = None
    reason: str | None
    hash: str
    prev_hash: str


class FindingOut(BaseModel):
    ref: str
    problem: str


class VerificationOut(BaseModel):
    ok: bool
    checked: int
    findings: list[FindingOut]


AuditPage = Page[AuditEntryOut]
