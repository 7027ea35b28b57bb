"""Account schemas: In / Out / Page."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ..core.pagination import Page
from ..core.permissions import Role


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class PasswordChangeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=64)
    old_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role
    division_code: str | None = Field(default=None, pattern=r"^\d{12}$")
    unit_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class GrantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    role: Role
    division_code: str | None
    unit_id: int | None


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=3, max_length=64)
    display_name: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)
    division_code: str | None = Field(default=None, pattern=r"^\d{12}$")
    grants: list[GrantIn] = Field(default_factory=list, max_length=20)


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    display_name: str | None = Field(default=None, min_length=1, max_length=100)
    division_code: str | None = Field(default=None, pattern=r"^\d{12}$")
    is_active: bool | None = None
    reason: str | None = Field(default=None, max_length=500)


class PasswordResetIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    password: str = Field(min_length=1, max_length=200)


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    username: str
    display_name: str
    division_code: str | None
    is_active: bool
    must_change_password: bool
    created_at: datetime
    grants: list[GrantOut]


class MeOut(BaseModel):
    id: int | None
    username: str
    display_name: str
    division_code: str | None
    grants: list[GrantIn]
    permissions: list[str]


UserPage = Page[UserOut]
