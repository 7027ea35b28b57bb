"""Cadres and postings in, out and in pages; numbers always masked out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from zhucun.core import idnumbers
from zhucun.core.fields import EventDate, PastDate
from zhucun.core.i18n import _
from zhucun.core.pagination import Page
from zhucun.registry import catalogues as cat
from zhucun.registry.schemas import ChangeOut, IdNumber, Phone, Reason, coded
from zhucun.selection.helpers.schemas import ReleaseOut


def _pad(value: str) -> str:
    # A hometown is often known only to its county: six digits stand for the county's code.
    return value.ljust(12, "0")


DivisionCode = Annotated[str, Field(pattern=r"^\d{12}$")]
Hometown = Annotated[str, Field(pattern=r"^\d{6}(\d{6})?$"), AfterValidator(_pad)]


class CadreFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: str | None = Field(default=None, min_length=1, max_length=50)
    ethnicity: coded(cat.ETHNICITY) = None
    phone: Phone | None = None
    education: coded(cat.CADRE_EDUCATION) = None
    speciality: str | None = Field(default=None, max_length=100)
    skills: str | None = Field(default=None, max_length=300)
    party_member: bool | None = None
    party_joined: PastDate | None = None
    work_started: PastDate | None = None
    rank: coded(cat.RANK) = None
    position: str | None = Field(default=None, max_length=100)
    unit_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    hometown_code: Hometown | None = None
    health: coded(cat.HEALTH) = None


class CadreIn(CadreFields):
    name: str = Field(min_length=1, max_length=50)
    id_number: IdNumber
    gender: coded(cat.GENDER) = None
    birth_date: PastDate | None = None
    party_member: bool = False
    division_code: DivisionCode = Field(description="the county where the cadre serves (a posting moves them)")
    reason: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _agrees_with_id(self) -> CadreIn:
        id_gender = "1" if idnumbers.gender_of(self.id_number) == "male" else "2"
        if self.gender and self.gender != id_gender:
            raise ValueError(_("The gender does not match the ID number."))
        self.gender = id_gender
        born = idnumbers.birth_date(self.id_number)
        if self.birth_date and self.birth_date != born:
            raise ValueError(_("The birth date does not match the ID number ({born}).").format(born=born))
        self.birth_date = born
        return self


class CadrePatch(CadreFields):
    reason: Reason


class CadreRevealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: Literal["id_number", "phone"]
    reason: Reason


class PostingIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    village_code: DivisionCode
    role: coded(cat.POSTING_ROLE)  # type: ignore[valid-type]
    start_date: EventDate
    reason: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _role_given(self) -> PostingIn:
        if not self.role:
            raise ValueError(_("The role in the village is required."))
        return self


class PostingEnd(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    end_date: date
    end_reason: str = Field(min_length=2, max_length=200)


class PostingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    # With the id, the county addresses the posting (``/api/v1/postings/{county_code}/{id}``).
    county_code: str
    id: int
    cadre_id: int
    village_code: str
    role: str
    start_date: EventDate
    end_date: date | None
    end_reason: str | None
    # When the posting is ended: the cadre's households, moved to other helpers or left without.
    helpers: ReleaseOut | None = None


class EligibilityOut(BaseModel):
    """Whole years today: facts for the selection rules."""

    model_config = ConfigDict(from_attributes=True)
    age: int | None
    years_of_work: int | None
    years_in_party: int | None


class CadreOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    county_code: str
    name: str
    id_masked: str | None
    gender: str | None
    birth_date: date | None
    ethnicity: str | None
    phone_masked: str | None
    education: str | None
    speciality: str | None
    skills: str | None
    party_member: bool
    party_joined: date | None
    work_started: date | None
    rank: str | None
    position: str | None
    unit_id: int | None
    hometown_code: str | None
    health: str | None
    division_code: str
    updated_at: datetime


class CadreDetail(CadreOut):
    unit_name: str | None = None
    eligibility: EligibilityOut | None = None
    current_posting: PostingOut | None = None
    postings: list[PostingOut] = []
    profile: ProfileOut | None = None


Level = Annotated[int | None, Field(default=None, ge=1, le=5, description="1 差 … 5 优秀; null: not assessed")]


class ProfileIn(BaseModel):
    """The dispatching unit's assessment of the five inner factors (the whole of it: a factor
    left out is not assessed)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    political: Level = None
    responsibility: Level = None
    ability: Level = None
    dedication: Level = None
    relations: Level = None
    assessed_on: PastDate | None = Field(default=None, description="the day of the assessment; today when left out")
    reason: str | None = Field(default=None, max_length=500)


class ExperienceOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    postings: int
    villages: int
    roles: dict[str, int] = Field(description="posting role code → previous postings in that role")


class ProfileOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    assessed: dict[str, int | None]
    assessed_on: date | None
    assessed_by: int | None
    assessed_by_name: str | None = None
    record: dict[str, int | None] = Field(description="the levels the record gives (political quality, ability)")
    experience: ExperienceOut
    score: float = Field(ge=0, le=1)


CadreDetail.model_rebuild()
CadrePage = Page[CadreOut]
__all__ = [
    "CadreDetail",
    "CadreIn",
    "CadrePage",
    "CadrePatch",
    "CadreRevealIn",
    "ChangeOut",
    "PostingEnd",
    "PostingIn",
    "ProfileIn",
    "ProfileOut",
]
