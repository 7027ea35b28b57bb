"""Accounts, role grants, sessions and login throttling: the tables authentication needs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .db import LOCAL, Base, utcnow
from .i18n import _l
from .tx import conflict

_LOCAL = {"info": {"distribution": LOCAL}}


class User(Base):
    __tablename__ = "users"
    __table_args__ = _LOCAL
    # An account belongs to an area; managers see the accounts of their own area.
    __scope_column__ = "division_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    division_code: Mapped[str | None] = mapped_column(ForeignKey("divisions.code"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)

    grants: Mapped[list[RoleGrant]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="RoleGrant.id",
    )


class RoleGrant(Base):
    """One role held by an account, with its own scope: a division and, for a unit, the unit."""

    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("user_id", "role", "division_code", "unit_id"), _LOCAL)
    # Read by account id, with its account (which is scoped) or at login, before any scope.
    __unscoped__ = "the coordinator's own table, read by account id"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    division_code: Mapped[str | None] = mapped_column(ForeignKey("divisions.code"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="grants")


class AuthSession(Base):
    """A web session or an API token; only the SHA-256 of the secret is stored."""

    __tablename__ = "auth_sessions"
    __table_args__ = _LOCAL
    __unscoped__ = "the coordinator's own table, read by session id or account id"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    csrf_token: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(300))


class PasswordHistory(Base):
    """The Argon2 hashes of an account's previous passwords, so that they are not taken again."""

    __tablename__ = "password_history"
    __table_args__ = _LOCAL
    __unscoped__ = "an account's own secrets on the coordinator, read by account id in its password change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LoginThrottle(Base):
    """Failed logins per user name and client address (known name or not, so that both get
    the same answers): a stranger's failures lock the stranger's address, not the account."""

    __tablename__ = "login_throttle"
    __table_args__ = _LOCAL
    __unscoped__ = "the coordinator's own table, read by user name before anyone is logged in"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    address: Mapped[str] = mapped_column(String(45), primary_key=True, default="")
    # Lockouts in a row: each one lasts twice the one before (progressive delays).
    lockouts: Mapped[int] = mapped_column(Integer, default=0)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime | None] = mapped_column(DateTime)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


conflict("uq_users_username", "username", _l("This user name is taken."))
conflict("uq_role_grants_user_id_role_division_code_unit_id", "role", _l("The account already holds this role here."))
