"""Sessions and tokens made directly in the test's transaction: no password hashing, so
table-driven tests can act as many accounts cheaply."""

from __future__ import annotations

from sqlalchemy import select

from zhucun.config import Settings
from zhucun.core.auth import API, WEB, start_session
from zhucun.core.db import Database
from zhucun.core.deps import SESSION_COOKIE
from zhucun.core.models import AuthSession, User


def _start(db: Database, settings: Settings, username: str, kind: str) -> tuple[str, str | None]:
    with db.begin() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        secret, row = start_session(session, user, kind=kind, settings=settings)
        return secret, row.csrf_token


def bearer_headers(db: Database, settings: Settings, username: str) -> dict[str, str]:
    secret, _csrf = _start(db, settings, username, API)
    return {"Authorization": f"Bearer {secret}"}


def cookie_headers(db: Database, settings: Settings, username: str) -> tuple[dict[str, str], str]:
    """Headers of a logged-in browser (session cookie) and its CSRF token."""
    secret, csrf = _start(db, settings, username, WEB)
    assert csrf is not None
    return {"Cookie": f"{SESSION_COOKIE}={secret}"}, csrf


__all__ = ["AuthSession", "bearer_headers", "cookie_headers"]
