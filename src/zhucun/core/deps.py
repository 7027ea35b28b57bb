"""Request dependencies: the database session, the principal, and ``permit`` — the single
gate through which every route declares its permission and receives its scope.

Deny by default: ``create_app`` refuses to start when a route declares neither a
permission (``permit``) nor that it is public (``public``).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from ..config import Settings
from .audit import Actor
from .auth import API, WEB, Principal, resolve_session
from .db import Database
from .errors import Forbidden, Unauthorized
from .i18n import _l
from .permissions import PERMISSIONS
from .scope import Scope, bind

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_COOKIE = "zhucun_session"
CSRF_COOKIE = "zhucun_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


# Documents bearer authentication in the OpenAPI spec; ``principal_of`` reads the header itself.
bearer_scheme = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


class LoginRequired(Unauthorized):
    """No valid session or token: the API answers 401, a page redirects to the login form."""


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def get_db(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    session = get_db(request).session(write=request.method not in SAFE_METHODS)
    try:
        yield session
    finally:
        session.close()


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def principal_of(request: Request) -> Principal | None:
    """The principal behind the request's bearer token or session cookie, cached per request."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    db, settings = get_db(request), get_settings(request)
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        found, via = resolve_session(db, header[7:].strip(), kind=API, settings=settings), API
        if found is None:
            raise LoginRequired(_l("The access token is invalid or has expired."), code="invalid_token")
    elif cookie := request.cookies.get(SESSION_COOKIE):
        found, via = resolve_session(db, cookie, kind=WEB, settings=settings), WEB
    else:
        found, via = None, WEB
    principal = None
    if found is not None:
        row, user = found
        principal = Principal.of(user, via=via, ip=client_ip(request), session_id=row.id, csrf_token=row.csrf_token)
    request.state.principal = principal
    return principal


def same_token(submitted: str | None, expected: str | None) -> bool:
    """Constant-time comparison of two tokens, both present; as bytes, since the client may send
    any characters and ``secrets.compare_digest`` refuses non-ASCII text."""
    if not submitted or not expected:
        return False
    return secrets.compare_digest(submitted.encode(), expected.encode())


async def submitted_csrf(request: Request) -> AsyncIterator[str | None]:
    """The CSRF token an unsafe request carries, in the X-CSRF-Token header or a form field.

    A form read here is closed when the request ends, so that files uploaded to a route that
    takes no form of its own do not linger as open temporary files."""
    if request.method in SAFE_METHODS:
        yield None
        return
    if token := request.headers.get(CSRF_HEADER):
        yield token
        return
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        yield None
        return
    form = await request.form()
    try:
        value = form.get(CSRF_FIELD)
        yield value if isinstance(value, str) else None
    finally:
        await form.close()


@dataclass
class Ctx:
    """What a route works with: who acts, through which session, within which scope."""

    principal: Principal
    session: Session
    scope: Scope
    request: Request
    permission: str

    @property
    def actor(self) -> Actor:
        return self.principal.actor

    @property
    def settings(self) -> Settings:
        return get_settings(self.request)

    @property
    def db(self) -> Database:
        return get_db(self.request)


class Permit:
    """Authenticate, check CSRF for cookie sessions, check the permission, bind the scope."""

    def __init__(self, permission: str):
        if permission not in PERMISSIONS:
            raise KeyError(f"undeclared permission {permission!r}")
        self.permission = permission

    def __call__(
        self,
        request: Request,
        session: Session = Depends(get_session),
        csrf: str | None = Depends(submitted_csrf),
        _bearer: str | None = Depends(bearer_scheme),
    ) -> Ctx:
        principal = principal_of(request)
        if principal is None:
            raise LoginRequired()
        if principal.via == WEB and request.method not in SAFE_METHODS and not same_token(csrf, principal.csrf_token):
            raise Forbidden(
                _l("The form has expired or its security token is missing. Reload the page and try again."),
                code="csrf_failed",
            )
        scope = principal.scope_for(self.permission)
        if not scope.areas:
            raise Forbidden()
        bind(session, scope)
        # The page renderer names codes and ids through this same scoped session.
        request.state.session = session
        return Ctx(principal, session, scope, request, self.permission)


def permit(permission: str) -> Any:
    """``ctx: Ctx = permit("mechanism:resource:action")`` in a route's signature."""
    return Depends(Permit(permission))


def _public() -> None:
    """Marks a route that anyone may call (login, health, public notices)."""


public = Depends(_public)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


class SmallBody:
    """Marks a public route that takes a small body of these types only (``core.gate``
    refuses others with 415, and bodies past ``max_form_bytes`` with 413, before reading)."""

    def __init__(self, *types: str):
        self.types = types or (FORM,)

    def __call__(self) -> None:
        return None


def public_form(*types: str) -> Any:
    """``dependencies=[public_form()]``: public, and only a small form (or the given types)."""
    return Depends(SmallBody(*types))


def check_anonymous_csrf(request: Request, token: str | None) -> None:
    """Double-submit check for forms shown before login (the token is also in a cookie)."""
    if not same_token(request.cookies.get(CSRF_COOKIE), token):
        raise Forbidden(
            _l("The form has expired or its security token is missing. Reload the page and try again."),
            code="csrf_failed",
        )


def route_permission(route: Any) -> str | bool | None:
    """The permission a route declares, True if public, None if it declares nothing."""
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        call = dependant.call
        if isinstance(call, Permit):
            return call.permission
        if call is _public or isinstance(call, SmallBody):
            return True
        stack.extend(dependant.dependencies)
    return None
