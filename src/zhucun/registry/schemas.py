"""Registry schemas: households and members in, out and in pages; always masked out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from zhucun.core import idnumbers
from zhucun.core.fields import NetYuan, PastDate, Yuan

from ..core.i18n import _
from ..core.pagination import Page
from . import catalogues as cat


def _coded(catalogue: cat.Catalogue):
    def convert(value: str | None) -> str | None:
        if value is None or value == "":
            return None
        code = catalogue.code_for(str(value))
        if code is None:
            raise ValueError(_("Unknown value “{value}”.").format(value=value))
        return code

    return AfterValidator(convert)


def _id_number(value: str) -> str:
    result = idnumbers.check(value)
    if not result.valid:
        raise ValueError(str(result.reason))
    return result.normalized  # type: ignore[return-value]


IdNumber = Annotated[str, Field(min_length=15, max_length=40), AfterValidator(_id_number)]
Phone = Annotated[str, Field(pattern=r"^[0-9+\- ]{5,20}$")]
Reason = Annotated[str, Field(min_length=2, max_length=500)]
Year = Annotated[int, Field(ge=1980, le=2100)]
Mu = Annotated[Decimal, Field(ge=0, le=Decimal("1e6"), decimal_places=2)]


def coded(catalogue: cat.Catalogue, **field: Any) -> Any:
    return Annotated[str | None, Field(default=None, max_length=40, **field), _coded(catalogue)]


class MemberFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, min_length=1, max_length=50)
    relation: coded(cat.RELATION) = None
    gender: coded(cat.GENDER) = None
    ethnicity: coded(cat.ETHNICITY) = None
    education: coded(cat.EDUCATION) = None
    student: coded(cat.STUDENT) = None
    health: coded(cat.HEALTH) = None
    disability: coded(cat.DISABILITY) = None
    disability_grade: coded(cat.DISABILITY_GRADE) = None
    labour: coded(cat.LABOUR) = None
    migrant_months: int | None = Field(default=None, ge=0, le=12)
    medical_insurance: bool | None = None
    pension_insurance: bool | None = None
    phone: Phone | None = None


class MemberIn(MemberFields):
    name: str = Field(min_length=1, max_length=50)
    id_number: IdNumber
    relation: coded(cat.RELATION)  # type: ignore[valid-type]
    birth_date: PastDate | None = None

    @model_validator(mode="after")
    def _agrees_with_id(self) -> MemberIn:
        if not self.relation:
            raise ValueError(_("The relation to the head is required."))
        id_gender = "1" if idnumbers.gender_of(self.id_number) == "male" else "2"
        if self.gender and self.gender != id_gender:
            raise ValueError(_("The gender does not match the ID number."))
        self.gender = id_gender
        born = idnumbers.birth_date(self.id_number)
        if self.birth_date and self.birth_date != born:
            raise ValueError(_("The birth date does not match the ID number ({born}).").format(born=born))
        self.birth_date = born
        return self


def _required_when_given(value: Any) -> Any:
    """A patch may leave a field out, but may not clear one the register cannot do without."""
    if value is None:
        raise ValueError(_("This field is required."))
    return value


class MemberPatch(MemberFields):
    reason: Reason

    _keep = field_validator("name", "relation")(_required_when_given)


class MemberRemoval(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["2", "3", "4", "5"]
    reason: Reason


class MemberMove(BaseModel):
    model_config = ConfigDict(extra="forbid")
    household_id: int = Field(ge=1, le=2**63 - 1)
    relation: coded(cat.RELATION)  # type: ignore[valid-type]
    reason: Reason


class HouseholdFields(BaseModel):
    model_config = ConfigDict(extra="forbid")
    group_number: int | None = Field(default=None, ge=1, le=999)
    address: str | None = Field(default=None, max_length=200)
    phone: Phone | None = None
    bank_account: str | None = Field(default=None, pattern=r"^[0-9 ]{8,30}$")
    attribute: coded(cat.HOUSEHOLD_ATTRIBUTE) = None
    status: coded(cat.HOUSEHOLD_STATUS) = None
    main_cause: coded(cat.POVERTY_CAUSE) = None
    other_causes: list[str] | None = Field(default=None, max_length=12)
    registered_year: Year | None = None
    exited_year: Year | None = None
    housing_safe: bool | None = None
    water_safe: bool | None = None
    cultivated_land_mu: Mu | None = None
    forest_land_mu: Mu | None = None
    productive_assets: Yuan | None = None

    @model_validator(mode="after")
    def _causes(self) -> HouseholdFields:
        if self.other_causes is not None:
            codes = [cat.POVERTY_CAUSE.code_for(c) for c in self.other_causes]
            if None in codes:
                raise ValueError(_("Unknown cause of poverty in “{value}”.").format(value=", ".join(self.other_causes)))
            self.other_causes = codes  # type: ignore[assignment]
        return self


class HouseholdIn(HouseholdFields):
    household_no: str = Field(min_length=1, max_length=30, pattern=r"^[0-9A-Za-z\-]+$")
    village_code: str = Field(pattern=r"^\d{12}$")
    members: list[MemberIn] = Field(min_length=1, max_length=30)
    reason: str | None = Field(default=None, max_length=500)


class HouseholdPatch(HouseholdFields):
    reason: Reason

    _keep = field_validator("attribute", "status")(_required_when_given)


class IncomeFigures(BaseModel):
    """A year's income by source (yuan): what the income form shows back before it is saved."""

    model_config = ConfigDict(extra="forbid")
    wage: Yuan = Decimal(0)
    production: NetYuan = Decimal(0)
    property: Yuan = Decimal(0)
    transfer: Yuan = Decimal(0)
    production_costs: Yuan = Decimal(0)
    # Medical, schooling, disaster or accident spending the household could not avoid.
    unavoidable_spending: Yuan = Decimal(0)


class IncomeIn(IncomeFigures):
    reason: Reason


class IncomeForm(IncomeIn):
    """The income form of the household page: the year is a field there, not in the path."""

    year: int = Field(ge=1980, le=2100)


class RevealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    field: Literal["id_number", "phone", "bank_account"]
    reason: Reason


class RevealOut(BaseModel):
    field: str
    value: str | None


class MemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    county_code: str
    household_id: int
    village_code: str
    name: str
    id_masked: str | None
    gender: str | None
    birth_date: date | None
    ethnicity: str | None
    relation: str
    education: str | None
    student: str | None
    health: str | None
    disability: str | None
    disability_grade: str | None
    labour: str | None
    migrant_months: int | None
    medical_insurance: bool | None
    pension_insurance: bool | None
    phone_masked: str | None
    status: str


class IncomeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    year: int
    wage: Decimal
    production: Decimal
    property: Decimal
    transfer: Decimal
    production_costs: Decimal
    unavoidable_spending: Decimal


class HouseholdOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    county_code: str
    household_no: str
    village_code: str
    group_number: int | None
    head_name: str | None
    member_count: int
    address: str | None
    phone_masked: str | None
    bank_masked: str | None
    attribute: str
    status: str
    main_cause: str | None
    other_causes: str | None
    registered_year: int | None
    exited_year: int | None
    housing_safe: bool | None
    water_safe: bool | None
    cultivated_land_mu: Decimal | None
    forest_land_mu: Decimal | None
    productive_assets: Decimal | None
    updated_at: datetime


class HouseholdDetail(HouseholdOut):
    members: list[MemberOut] = []
    incomes: list[IncomeOut] = []


class ChangeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    entity: str
    entity_id: int
    action: str
    at: datetime
    actor_name: str
    before: Any = None
    after: Any = None
    reason: str | None


HouseholdPage = Page[HouseholdOut]
MemberPage = Page[MemberOut]
ChangePage = Page[ChangeOut]
