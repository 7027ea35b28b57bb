"""Who may send a body: authentication and the route's permission come before the body is read.

FastAPI reads (and spools to disk) a form or an upload before it runs a route's
dependencies, so ``permit`` alone would let anyone make the server take in a file of up to
the upload limit. This middleware matches the route first and, for an unsafe request,
answers 401/403 from the headers alone; a public route that takes a form (log in, issue a
token, change a password) takes only a small URL-encoded body (or JSON where it says so).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from starlette.concurrency import run_in_threadpool
from starlette.routing import Match
from starlette.types import ASGIApp, Receive, Scope, Send

from .deps import SAFE_METHODS, LoginRequired, SmallBody, principal_of, route_permission
from .errors import DomainError, Forbidden
from .http import domain_answer, error_response, limit_body, message_for_status


class Gate:
    """Pure ASGI middleware, inside ``Edge`` (so the answer is in the caller's language)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        route = _route(scope)
        small = _small_body(route) if route is not None else None
        permission = route_permission(route) if route is not None else None
        request = Request(scope)
        if small is not None:
            refusal = _refuse_body(request, small, scope["app"].state.settings.max_form_bytes)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
            receive = limit_body(receive, scope["app"].state.settings.max_form_bytes)
        elif isinstance(permission, str):
            try:
                await run_in_threadpool(_authorise, request, permission)
            except DomainError as exc:
                await domain_answer(request, exc)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _route(scope: Scope) -> Any:
    for route in scope["app"].state.routes:
        match, _child = route.matches(scope)
        if match == Match.FULL:
            return route
    return None


def _small_body(route: Any) -> SmallBody | None:
    stack = [route.dependant]
    while stack:
        dependant = stack.pop()
        if isinstance(dependant.call, SmallBody):
            return dependant.call
        stack.extend(dependant.dependencies)
    return None


def _authorise(request: Request, permission: str) -> None:
    """The checks of ``Permit`` that need no body; the CSRF token may still be in the form."""
    principal = principal_of(request)
    if principal is None:
        raise LoginRequired()
    if not principal.scope_for(permission).areas:
        raise Forbidden()


def _refuse_body(request: Request, small: SmallBody, limit: int) -> Any:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in small.types:
        return error_response(request.url.path, 415, "unsupported_media_type", message_for_status(415))
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return error_response(request.url.path, 413, "body_too_large", message_for_status(413))
    return None
