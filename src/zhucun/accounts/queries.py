"""Account lists, always through the session's scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from ..core.models import RoleGrant, User
from ..core.pagination import keyset


def users_statement(*, q: str | None = None, role: str | None = None, active: bool | None = None) -> Select[Any]:
    """The accounts a list's filters leave, for a page of them and for their total."""
    statement = select(User)
    if q:
        pattern = f"%{q.strip().lower()}%"
        statement = statement.where(or_(User.username.like(pattern), User.display_name.like(f"%{q.strip()}%")))
    if role:
        statement = statement.where(User.id.in_(select(RoleGrant.user_id).where(RoleGrant.role == role)))
    if active is not None:
        statement = statement.where(User.is_active == active)
    return statement


def list_users(
    session: Session,
    *,
    q: str | None = None,
    role: str | None = None,
    active: bool | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[list[User], str | None]:
    statement = users_statement(q=q, role=role, active=active)
    return keyset(session, statement, [User.id], cursor=cursor, limit=limit, key=lambda u: [u.id])
