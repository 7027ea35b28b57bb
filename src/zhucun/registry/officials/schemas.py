"""Village officials in and out."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field, model_validator

from zhucun.core.fields import EventDate

from ...core.i18n import _
from .. import catalogues as cat
from ..schemas import ChangeOut, Reason, coded


class OfficialIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    member_id: int = Field(ge=1, le=2**63 - 1, description="the resident (a member of a household of the village)")
    post: coded(cat.OFFICIAL_POST)  # type: ignore[valid-type]
    term_start: EventDate
    reason: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _post_given(self) -> OfficialIn:
        if not self.post:
            raise ValueError(_("The post is required."))
        return self


class TermEnd(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    term_end: EventDate
    reason: Reason


class OfficialOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    # Addressed by (county_code, id): /api/v1/officials/{county_code}/{id}.
    county_code: str
    id: int
    member_id: int
    member_name: str | None = None
    village_code: str
    post: str
    term_start: date
    term_end: date | None


class OfficialDetail(OfficialOut):
    history: list[ChangeOut] = []
