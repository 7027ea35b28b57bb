"""Server-rendered pages: one Jinja environment over every mechanism's templates, the
navigation each mechanism contributes, and ``render``.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, Undefined, select_autoescape

from .addressing import href, url_of
from .deps import CSRF_COOKIE, principal_of
from .i18n import HTML_LANG, LOCALES, current_locale, gettext, ngettext
from .mechanism import nav
from .naming import Names, install
from .permissions import ROLE_LABELS

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def template_dirs() -> list[Path]:
    """The shared templates first, then every package's and subpackage's own ``templates``."""
    shared = PACKAGE_DIR / "templates"
    return [shared, *sorted(p for p in PACKAGE_DIR.rglob("templates") if p.is_dir() and p != shared)]


def _url_with(request: Request, **params: Any) -> str:
    query = dict(request.query_params)
    query.update({k: v for k, v in params.items() if v is not None})
    for key in [k for k, v in params.items() if v is None]:
        query.pop(key, None)
    return f"{request.url.path}?{urlencode(query)}" if query else request.url.path


class LoudUndefined(Undefined):
    """A missing variable that fails where it would be shown or looped over, yet may still be
    tested (``{% if errors %}``, ``is defined``, ``|default``): with Jinja's default a misspelt
    or forgotten variable renders as nothing, and a page silently loses a name or a row. A
    missing key of a mapping stays quiet (``form.group_number`` on an empty form is the blank
    field of a new record); a missing attribute of an object, or a missing name, is loud."""

    __slots__ = ()

    def _loud(self) -> bool:
        return not isinstance(self._undefined_obj, dict)

    def __str__(self) -> str:
        if self._loud():
            self._fail_with_undefined_error()
        return ""

    def __iter__(self):  # type: ignore[no-untyped-def]
        if self._loud():
            self._fail_with_undefined_error()
        return iter(())

    def __len__(self) -> int:
        if self._loud():
            self._fail_with_undefined_error()
        return 0


def strict_templates(on: bool = True) -> None:
    """Tests turn this on: a template's missing variable becomes an error (a 500 the crawler sees)."""
    ENV.undefined = LoudUndefined if on else Undefined


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader([str(p) for p in template_dirs()]),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(role_labels=ROLE_LABELS, locales=LOCALES, html_lang=HTML_LANG, url_of=url_of, href=href)
    install(env)
    return env


ENV = _environment()


def anonymous_csrf(request: Request) -> str:
    return request.cookies.get(CSRF_COOKIE) or request.state.__dict__.setdefault("new_csrf", secrets.token_urlsafe(24))


def render_names(ctx: Any) -> Names:
    """The ``Names`` a page of this request renders with, for a route that prefetches."""
    names: Names = ctx.request.state.__dict__.setdefault("names", Names(ctx.session))
    return names


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    principal = principal_of(request)
    csrf = principal.csrf_token if principal else anonymous_csrf(request)
    values = {
        "request": request,
        "principal": principal,
        "csrf_token": csrf,
        "locale": current_locale(),
        "nav": [item for item in nav() if principal and principal.can(item.permission)],
        "htmx": request.headers.get("hx-request") == "true",
        "url_with": lambda **params: _url_with(request, **params),
        # Names behind codes and ids, looked up through the route's own session and scope.
        "names": request.state.__dict__.get("names") or Names(getattr(request.state, "session", None)),
    }
    values.update(context or {})
    response = HTMLResponse(ENV.get_template(template).render(values), status_code=status, headers=headers)
    if principal is None and CSRF_COOKIE not in request.cookies:
        response.set_cookie(
            CSRF_COOKIE,
            anonymous_csrf(request),
            httponly=True,
            samesite="lax",
            secure=request.app.state.settings.cookie_secure,
        )
    response.headers.setdefault("Cache-Control", "no-store")
    return response


async def form_values(request: Request) -> dict[str, str]:
    """The submitted form's text fields (files are read by the routes that take them)."""
    return {k: v for k, v in (await request.form()).multi_items() if isinstance(v, str)}


def field_errors(exc: Any) -> dict[str, str]:
    """A Pydantic ValidationError as {field: translated message}, for showing next to fields."""
    from .http import translate_validation

    errors: dict[str, str] = {}
    for error in exc.errors():
        item = translate_validation({**error, "loc": ("body", *error["loc"])})
        errors.setdefault(item["field"] or "", item["message"])
    return errors


def redirect(url: str, request: Request | None = None) -> RedirectResponse | HTMLResponse:
    """A 303 after a form post; for HTMX requests the client is told to navigate."""
    if request is not None and request.headers.get("hx-request") == "true":
        return HTMLResponse("", headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
