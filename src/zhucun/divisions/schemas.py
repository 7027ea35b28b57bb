"""Division schemas."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ..core.pagination import Page

Level = Literal["province", "prefecture", "county", "township", "village"]


class DivisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    code: str
    name: str
    level: Level
    parent_code: str | None
    urban_rural_code: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    checkin_radius_m: int | None = None
    population: int | None = None
    households: int | None = None
    collective_income: Decimal | None = None
    is_poor_village: bool = False
    is_exited: bool = False
    exited_year: int | None = None
    is_key_village: bool = False
    is_weak_branch: bool = False
    is_relocation_site: bool = False
    is_ethnic_area: bool = False
    is_western: bool = False


class GroupOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    number: int
    name: str
    households: int | None = None


class DivisionDetail(DivisionOut):
    groups: list[GroupOut] = []
    children: int = 0


class DivisionPatch(BaseModel):
    """A partial change: a field left out stays as it is; null clears an attribute. The name and
    the flags cannot be cleared, so their types refuse null although they default to None."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(default=None, min_length=1, max_length=100)  # type: ignore[assignment]
    urban_rural_code: str | None = Field(default=None, pattern=r"^\d{3}$")
    latitude: float | None = Field(default=None, ge=3, le=54)
    longitude: float | None = Field(default=None, ge=73, le=136)
    checkin_radius_m: int | None = Field(default=None, ge=10, le=20000)
    population: int | None = Field(default=None, ge=0, le=10**8)
    households: int | None = Field(default=None, ge=0, le=10**8)
    collective_income: Decimal | None = Field(
        default=None, ge=Decimal("-1e12"), le=Decimal("1e12"), max_digits=14, decimal_places=2
    )
    is_poor_village: bool = None  # type: ignore[assignment]
    is_exited: bool = None  # type: ignore[assignment]
    exited_year: int | None = Field(default=None, ge=1980, le=2100)
    is_key_village: bool = None  # type: ignore[assignment]
    is_weak_branch: bool = None  # type: ignore[assignment]
    is_relocation_site: bool = None  # type: ignore[assignment]
    is_ethnic_area: bool = None  # type: ignore[assignment]
    is_western: bool = None  # type: ignore[assignment]
    reason: str | None = Field(default=None, max_length=500)


class GroupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=50)


class ImportOut(BaseModel):
    inserted: int
    updated: int
    groups: int
    sha256: str
    dry_run: bool = False


DivisionPage = Page[DivisionOut]
