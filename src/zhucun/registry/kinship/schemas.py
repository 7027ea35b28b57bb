"""Kinship in and out."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ...core.i18n import _
from .. import catalogues as cat
from ..schemas import Reason

MemberKey = Field(ge=1, le=2**63 - 1)


def _kind(value: str) -> str:
    code = cat.KIN.code_for(value)
    if code is None:
        raise ValueError(_("Unknown value “{value}”.").format(value=value))
    return code


KinKind = Annotated[
    str,
    Field(
        min_length=1,
        max_length=40,
        description="spouse, parent (member_a is a parent of "
        "member_b), sibling, in_law, grandparent, "
        "other — or their labels",
    ),
    AfterValidator(_kind),
]


class KinIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Kinship is declared within one county: naming it sends both lookups to that county's
    # shard on Citus. Left out (clients of before), the members are looked for in every county
    # the account sees, and two of different counties are refused as such.
    county_code: str | None = Field(
        default=None, pattern=r"^\d{6}$", description="The county of both members (six digits)"
    )
    member_a: int = MemberKey
    member_b: int = MemberKey
    kind: KinKind
    note: str | None = Field(default=None, max_length=200)
    reason: Reason


class KinRemoval(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Reason


class KinOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    county_code: str
    member_a: int | None = Field(description="None when this side lies outside the caller's area")
    member_b: int | None = Field(description="None when this side lies outside the caller's area")
    kind: str
    note: str | None
    outside: bool = Field(default=False, description="the relative lies outside the caller's area (no id, no note)")


class RelativeOut(BaseModel):
    member_id: int
    name: str
    gender: str | None
    status: str
    village_code: str
    household_id: int
    household_no: str
    degree: int
    path: list[str] = Field(
        description="steps from the member: spouse, parent, child, sibling, grandparent, grandchild, in_law, relative"
    )
    path_text: str


class RelativesOut(BaseModel):
    member_id: int
    degree: int
    items: list[RelativeOut]
    hidden: int = Field(description="relatives outside the caller's area, not listed")
