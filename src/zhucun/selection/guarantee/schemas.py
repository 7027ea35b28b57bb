"""Guarantee API shapes. Money is in yuan with two decimals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

CENT = Decimal("0.01")
# Yuan with two decimals, always shown so ("9000" is kept as 9000.00).
Money = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2), AfterValidator(lambda v: v.quantize(CENT))]


class FundIn(BaseModel):
    kind: Literal["secretary", "team"]
    year: int = Field(ge=2000, le=2100)
    # None: the province's amount for the year.
    amount: Money | None = None


class FundOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    county_code: str
    id: int
    kind: str
    year: int
    cadre_id: int
    village_code: str
    amount: Decimal
    spent: Decimal
    balance: Decimal


class SpendingIn(BaseModel):
    spent_on: date
    amount: Money
    purpose: str = Field(min_length=1, max_length=200)
    receipt: str | None = Field(default=None, max_length=200)


class SpendingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    fund_id: int
    spent_on: date
    amount: Decimal
    purpose: str
    receipt: str | None


class FundDetail(FundOut):
    spendings: list[SpendingOut]


class PolicyIn(BaseModel):
    insurer: str = Field(min_length=1, max_length=100)
    number: str = Field(min_length=1, max_length=60)
    starts_on: date
    ends_on: date
    sum_insured: Money


class PolicyOut(PolicyIn):
    model_config = ConfigDict(from_attributes=True)

    county_code: str
    id: int
    cadre_id: int
    days_left: int | None = None


class HealthIn(BaseModel):
    done: bool
    checked_on: date | None = None
    result: str | None = Field(default=None, max_length=500)


class HealthForm(HealthIn):
    """The page's form names the year in a field of its own."""

    year: int = Field(ge=2000, le=2100)


class HealthOut(BaseModel):
    cadre_id: int
    year: int
    done: bool
    checked_on: date | None
    # Only for the cadre's managers (incentive:health:reveal); None for everyone else.
    result: str | None = None


class StatementRow(BaseModel):
    cadre_id: int
    name: str
    unit_id: int | None
    village_code: str | None
    days: int
    work: Decimal
    meals: Decimal
    transport: Decimal
    phone: Decimal
    total: Decimal


class StatementOut(BaseModel):
    county: str
    month: str
    workdays: int
    source: str
    rows: list[StatementRow]
    total: Decimal
