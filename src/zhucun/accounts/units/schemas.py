"""Units in, out and in pages; level and kind accepted as codes or as their labels."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from zhucun.core.i18n import _
from zhucun.core.pagination import Page
from zhucun.registry.catalogues import Catalogue

UNIT_LEVEL = Catalogue(
    "unit_level",
    {
        "central": ("中央单位", "central"),
        "provincial": ("省级单位", "provincial"),
        "city": ("市（州）级单位", "city"),
        "county": ("县级单位", "county"),
    },
)
UNIT_KIND = Catalogue(
    "unit_kind",
    {
        "government": ("党政机关", "government office"),
        "state_firm": ("国有企业", "state-owned firm"),
        "public_institution": ("事业单位", "public institution"),
        "university": ("高等学校", "university"),
    },
)


def _one_of(catalogue: Catalogue) -> AfterValidator:
    def convert(value: str) -> str:
        code = catalogue.code_for(value)
        if code is None:
            raise ValueError(_("Unknown value “{value}”.").format(value=value))
        return code

    return AfterValidator(convert)


def _county_code(value: str) -> str:
    # A county is often written with its six-digit GB/T 2260 code.
    return value.ljust(12, "0")


Level = Annotated[str, Field(max_length=40), _one_of(UNIT_LEVEL)]
Kind = Annotated[str, Field(max_length=40), _one_of(UNIT_KIND)]
Name = Annotated[str, Field(min_length=2, max_length=120)]
DivisionCode = Annotated[str, Field(pattern=r"^\d{12}$")]
CountyCode = Annotated[str, Field(pattern=r"^\d{6}(\d{6})?$"), AfterValidator(_county_code)]


class UnitIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name
    level: Level
    kind: Kind
    division_code: DivisionCode | None = Field(default=None, description="the seat: a division code")
    paired_counties: list[CountyCode] = Field(default_factory=list, max_length=50)
    reason: str | None = Field(default=None, max_length=500)


class UnitPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    name: Name | None = None
    level: Level | None = None
    kind: Kind | None = None
    division_code: DivisionCode | None = None
    reason: str | None = Field(default=None, max_length=500)


class PairingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    division_code: CountyCode
    reason: str | None = Field(default=None, max_length=500)


class PairingOut(BaseModel):
    division_code: str
    name: str | None = None


class CadreCounts(BaseModel):
    """The unit's cadres that the caller may see: all, posted now, and posted by role."""

    total: int = 0
    posted: int = 0
    by_role: dict[str, int] = {}


class UnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    level: str
    kind: str
    division_code: str | None
    created_at: datetime
    updated_at: datetime


class UnitDetail(UnitOut):
    pairings: list[PairingOut] = []
    cadres: CadreCounts = CadreCounts()


UnitPage = Page[UnitOut]
