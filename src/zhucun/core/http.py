"""HTTP edges: body limits, locale negotiation, security headers and error answers.

Every error leaves as JSON with a machine code and a message in the caller's language
(``{"code", "message", "field"?, "errors"?}``) on the API, and as a page on the web.
"""

from __future__ import annotations

import json
import logging
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .deps import LoginRequired, is_api
from .errors import DomainError, TooMany
from .i18n import _current, _l, gettext, negotiate
from .logs import protect_error_logs
from .tx import as_conflict, is_busy

log = logging.getLogger("zhucun.http")
LANG_COOKIE = "zhucun_lang"

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
        b"script-src 'self'; frame-ancestors 'none'; form-action 'self'",
    ),
]


class BodyTooLarge(StarletteHTTPException):
    def __init__(self) -> None:
        super().__init__(status_code=413)


class Edge:
    """Pure ASGI middleware: locale per request, body size limits, security headers."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int):
        self.app, self.max_body, self.max_upload = app, max_body, max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        asked = (query.get("lang") or [None])[0]
        cookies = _cookies(headers.get("cookie", ""))
        locale = negotiate(asked, cookies.get(LANG_COOKIE), headers.get("accept-language"))
        token = _current.set(locale)
        try:
            limit = self.max_upload if headers.get("content-type", "").startswith("multipart/") else self.max_body
            declared = headers.get("content-length")
            if declared and (not declared.isdigit() or int(declared) > limit):
                response = error_response(
                    scope["path"],
                    413 if declared.isdigit() else 400,
                    "body_too_large" if declared.isdigit() else "bad_request",
                    message_for_status(413 if declared.isdigit() else 400),
                )
                await response(scope, receive, send)
                return
            await self.app(scope, limit_body(receive, limit), _decorated(send, asked and locale))
        finally:
            _current.reset(token)


def _cookies(header: str) -> dict[str, str]:
    pairs = (part.strip().split("=", 1) for part in header.split(";") if "=" in part)
    return dict(pairs)


def limit_body(receive: Receive, limit: int) -> Receive:
    """Refuse (413) a body that grows past the limit, declared length or not."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge()
        return message

    return wrapped


def _decorated(send: Send, chosen_locale: str | None) -> Send:
    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", []))
            present = {k.lower() for k, _ in headers}
            headers += [(k, v) for k, v in SECURITY_HEADERS if k not in present]
            if chosen_locale:
                cookie = f"{LANG_COOKIE}={chosen_locale}; Path=/; Max-Age=31536000; SameSite=Lax"
                headers.append((b"set-cookie", cookie.encode()))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


_STATUS_MESSAGES = {
    400: _l("The request is malformed."),
    401: _l("Please log in."),
    403: _l("You do not have permission to do this."),
    404: _l("Not found."),
    405: _l("This method is not allowed here."),
    413: _l("The request body is too large."),
    415: _l("This content type is not supported."),
    422: _l("Some values are invalid."),
    429: _l("Too many requests."),
}
_STATUS_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_requests",
}


def message_for_status(status: int) -> str:
    return str(_STATUS_MESSAGES.get(status, _l("Something went wrong.")))


def error_response(
    where: str | Request,
    status: int,
    code: str,
    message: str,
    *,
    extra: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as JSON for the API, as a page (with navigation when we know the request) for the web."""
    body = {"code": code, "message": message, **(extra or {})}
    path = where if isinstance(where, str) else where.url.path
    if path.startswith("/api/") or path == "/healthz":
        return JSONResponse(body, status_code=status, headers=headers)
    from .web import ENV, render  # the web layer is imported lazily to keep this module light

    if isinstance(where, Request):
        try:
            return render(where, "error.html", {"error": body, "status": status}, status=status, headers=headers)
        except DomainError:
            pass
    html = ENV.get_template("error.html").render(
        error=body, status=status, principal=None, nav=[], locale=_current.get(), csrf_token=""
    )
    return Response(html, status_code=status, headers=headers, media_type="text/html")


_PYDANTIC_MESSAGES = {
    "missing": _l("This field is required."),
    "string_too_short": _l("Must have at least {min_length} characters."),
    "string_too_long": _l("Must have at most {max_length} characters."),
    "string_pattern_mismatch": _l("Has the wrong format."),
    "string_type": _l("Must be text."),
    "int_parsing": _l("Must be a whole number."),
    "int_type": _l("Must be a whole number."),
    "int_from_float": _l("Must be a whole number."),
    "float_parsing": _l("Must be a number."),
    "float_type": _l("Must be a number."),
    "decimal_parsing": _l("Must be a number."),
    "decimal_type": _l("Must be a number."),
    "decimal_max_places": _l("Must have at most {decimal_places} decimal places."),
    "decimal_max_digits": _l("Must have at most {max_digits} digits."),
    "decimal_whole_digits": _l("Must have at most {whole_digits} digits before the decimal point."),
    "bool_parsing": _l("Must be true or false."),
    "bool_type": _l("Must be true or false."),
    "date_parsing": _l("Must be a date (YYYY-MM-DD)."),
    "date_from_datetime_parsing": _l("Must be a date (YYYY-MM-DD)."),
    "greater_than_equal": _l("Must be at least {ge}."),
    "greater_than": _l("Must be greater than {gt}."),
    "less_than_equal": _l("Must be at most {le}."),
    "less_than": _l("Must be less than {lt}."),
    "enum": _l("Must be one of: {expected}."),
    "literal_error": _l("Must be one of: {expected}."),
    "json_invalid": _l("The request body is not valid JSON."),
    "model_attributes_type": _l("Must be an object."),
    "dict_type": _l("Must be an object."),
    "list_type": _l("Must be a list."),
    "extra_forbidden": _l("Unknown field."),
}


def translate_validation(error: dict[str, Any]) -> dict[str, Any]:
    loc = [str(part) for part in error.get("loc", ())]
    field = (
        ".".join(loc[1:]) if loc and loc[0] in ("body", "query", "path", "header", "cookie", "form") else ".".join(loc)
    )
    template = _PYDANTIC_MESSAGES.get(error.get("type", ""))
    # Bounds of money fields are Decimals (Field(ge=0) on Yuan): they fill the message too.
    context = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, (str, int, float, Decimal))}
    if template is not None:
        try:
            message = str(template).format(**context)
        except (KeyError, IndexError):
            message = str(template)
    elif error.get("type") == "value_error" and "error" in (error.get("ctx") or {}):
        message = str(error["ctx"]["error"])
    else:
        message = gettext("Invalid value.")
    return {"code": error.get("type", "invalid"), "message": message, "field": field or None}


def return_to(request: Request) -> str:
    """Where to come back to after logging in: the page asked for or, when HTMX asked for a piece
    of a page, the page it was on (HX-Current-URL; only its path is kept) — not the bare piece."""
    if request.headers.get("hx-request") == "true":
        current = urlsplit(request.headers.get("hx-current-url", ""))
        return (current.path or "/") + (f"?{current.query}" if current.query else "")
    return request.url.path + (f"?{request.url.query}" if request.url.query else "")


def login_answer(request: Request, exc: LoginRequired) -> Response:
    """401 on the API; on the web, the login form, coming back here afterwards."""
    if is_api(request):
        return error_response(request, 401, exc.code, exc.message, headers={"WWW-Authenticate": "Bearer"})
    target = "/login?next=" + quote(return_to(request), safe="")
    if request.headers.get("hx-request") == "true":
        return Response(status_code=401, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def domain_answer(request: Request, exc: DomainError) -> Response:
    if isinstance(exc, LoginRequired):
        return login_answer(request, exc)
    body = exc.as_dict()
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, TooMany) else None
    return error_response(request, exc.status, body.pop("code"), body.pop("message"), extra=body, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    protect_error_logs()

    @app.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        return login_answer(request, exc)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return domain_answer(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [translate_validation(e) for e in exc.errors()]
        if any(e["code"] == "json_invalid" for e in errors):
            # A body that does not parse has no field at fault (FastAPI puts the character offset there).
            return error_response(request, 422, "json_invalid", gettext("The request body is not valid JSON."))
        first = errors[0] if errors else {"field": None}
        extra = {"field": first["field"], "errors": errors}
        return error_response(request, 422, "invalid", message_for_status(422), extra=extra)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "error")
        return error_response(
            request, exc.status_code, code, message_for_status(exc.status_code), headers=getattr(exc, "headers", None)
        )

    @app.exception_handler(json.JSONDecodeError)
    async def _json(request: Request, exc: json.JSONDecodeError) -> Response:
        return error_response(request, 422, "json_invalid", gettext("The request body is not valid JSON."))

    # A database refusal met outside a use case (a route's own read while another writer
    # holds the lock, a write that is not a use case): the same answers as inside one.
    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> Response:
        return await _domain(request, as_conflict(exc))

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> Response:
        if is_busy(exc):
            return await _domain(request, as_conflict(exc))
        return await _unexpected(request, exc)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        # The log filter (core.logs) writes the traceback without the values of the error.
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(request.url.path, 500, "internal_error", message_for_status(500))
