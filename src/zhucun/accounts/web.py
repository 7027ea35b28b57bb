"""Account pages: log in and out, change one's password, manage accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlalchemy import select

from ..core import pickers
from ..core.auth import WEB, PasswordChangeRequired, may_manage
from ..core.deps import (
    SESSION_COOKIE,
    Ctx,
    check_anonymous_csrf,
    client_ip,
    get_db,
    get_settings,
    permit,
    public,
    public_form,
)
from ..core.errors import DomainError, Invalid, NotFound, TooMany, Unauthorized
from ..core.i18n import _, _l
from ..core.pagination import count, int_id
from ..core.permissions import SELF, USER_READ, USER_WRITE
from ..core.web import redirect, render
from ..divisions.models import Division
from ..divisions.queries import named
from . import queries, service
from .api import SELF_WRITE

router = APIRouter(include_in_schema=False)
UserId = Annotated[int, int_id()]


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", dependencies=[public])
def login_form(request: Request, next: Annotated[str | None, Query(max_length=500)] = None) -> Response:
    return render(request, "accounts/login.html", {"next": next})


@router.post("/login", dependencies=[public_form()])
def login(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str | None, Form(max_length=100)] = None,
    next: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    check_anonymous_csrf(request, csrf_token)
    settings = get_settings(request)
    try:
        secret, _user = service.log_in(
            get_db(request),
            settings=settings,
            username=username,
            password=password,
            kind=WEB,
            ip=client_ip(request),
            user_agent=request.headers.get("user-agent"),
            previous=request.cookies.get(SESSION_COOKIE),
        )
    except PasswordChangeRequired:
        return render(request, "accounts/password.html", {"required": True, "username": username, "next": next})
    except TooMany as exc:
        return render(
            request,
            "accounts/login.html",
            {"error": exc.message, "username": username, "next": next},
            status=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    except Unauthorized as exc:
        return render(
            request, "accounts/login.html", {"error": exc.message, "username": username, "next": next}, status=401
        )
    response = redirect(_safe_next(next))
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="lax", secure=settings.cookie_secure, path="/")
    return response


@router.post("/logout")
def logout(ctx: Ctx = permit(SELF_WRITE)) -> Response:
    service.log_out(ctx.db, principal=ctx.principal, secret=ctx.request.cookies.get(SESSION_COOKIE))
    response = redirect("/login", ctx.request)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/account/password", dependencies=[public])
def password_form(request: Request) -> Response:
    return render(request, "accounts/password.html", {})


@router.post("/account/password", dependencies=[public_form()])
def change_password(
    request: Request,
    username: Annotated[str, Form(max_length=200)] = "",
    old_password: Annotated[str, Form(max_length=200)] = "",
    new_password: Annotated[str, Form(max_length=200)] = "",
    confirm_password: Annotated[str, Form(max_length=200)] = "",
    csrf_token: Annotated[str | None, Form(max_length=100)] = None,
    next: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    check_anonymous_csrf(request, csrf_token)
    context = {"username": username, "next": next}
    if new_password != confirm_password:
        return render(
            request,
            "accounts/password.html",
            {**context, "errors": {"confirm_password": _("The two new passwords differ.")}},
            status=422,
        )
    try:
        service.change_password(
            get_db(request),
            settings=get_settings(request),
            username=username,
            old_password=old_password,
            new_password=new_password,
            ip=client_ip(request),
        )
    except Invalid as exc:
        return render(request, "accounts/password.html", {**context, "errors": {exc.field: exc.message}}, status=422)
    except TooMany as exc:
        return render(
            request,
            "accounts/password.html",
            {**context, "error": exc.message},
            status=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    except Unauthorized as exc:
        return render(request, "accounts/password.html", {**context, "error": exc.message}, status=401)
    return render(
        request,
        "accounts/login.html",
        {"notice": _("Your password has been changed. Please log in."), "username": username, "next": next},
    )


@router.get("/account")
def account(ctx: Ctx = permit(SELF)) -> Response:
    codes = [g.division_code for g in ctx.principal.grants if g.division_code]
    names = dict(ctx.session.execute(select(Division.code, Division.name).where(Division.code.in_(codes))).all())
    return render(ctx.request, "accounts/account.html", {"division_names": names})


@router.get("/users")
def users(
    ctx: Ctx = permit(USER_READ),
    q: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    items, next_cursor = queries.list_users(ctx.session, q=q, cursor=cursor)
    total = count(ctx.session, queries.users_statement(q=q))
    context = {"users": items, "next_cursor": next_cursor, "q": q, "total": total}
    return render(ctx.request, "accounts/users.html", {**context, "can_write": ctx.principal.can(USER_WRITE)})


@router.get("/users/new")
def new_user_form(ctx: Ctx = permit(USER_WRITE)) -> Response:
    return render(ctx.request, "accounts/user_new.html", {"form": {}})


def _optional_int(value: str, field: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not (value.isascii() and value.isdigit()) or int(value) > 2**31 - 1:
        raise Invalid(_l("Must be a whole number."), field=field)
    return int(value)


def _picked(ctx: Ctx, form: dict[str, str]) -> tuple[str, str]:
    """The area and unit a form chose with its pickers (or typed by exact name)."""
    from ..accounts.units.models import Unit

    division = pickers.resolve(form, "division_code", lambda text: named(ctx.session, text))
    unit = pickers.resolve(
        form,
        "unit_id",
        lambda text: [(str(i), n) for i, n in ctx.session.execute(select(Unit.id, Unit.name).where(Unit.name == text))],
    )
    return division or "", unit or ""


@router.post("/users/new")
def create_user(
    ctx: Ctx = permit(USER_WRITE),
    username: Annotated[str, Form(max_length=64)] = "",
    display_name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=20)] = "",
    division_code: Annotated[str, Form(max_length=12)] = "",
    unit_id: Annotated[str, Form(max_length=12)] = "",
    division_code__q: Annotated[str, Form(max_length=50)] = "",
    unit_id__q: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    form = {
        "username": username,
        "display_name": display_name,
        "role": role,
        "division_code": division_code,
        "unit_id": unit_id,
        "division_code__q": division_code__q,
        "unit_id__q": unit_id__q,
    }
    try:
        division_code, unit_id = _picked(ctx, form)
        form.update(division_code=division_code, unit_id=unit_id)
        spec = service.GrantSpec(role, division_code or None, _optional_int(unit_id, "unit_id"))
        user = service.create_user(
            ctx.session,
            actor=ctx.principal,
            settings=ctx.settings,
            username=username,
            display_name=display_name,
            password=password,
            division_code=division_code or None,
            grants=[spec],
        )
    except NotFound:
        raise  # another area's division or unit: the same 404 page as a missing one, not a field error
    except DomainError as exc:
        field = (exc.field or "").split(".")[-1]
        return render(
            ctx.request,
            "accounts/user_new.html",
            {"form": form, "errors": {field: exc.message} if field else {}, "error": exc.message},
            status=exc.status,
        )
    return redirect(f"/users/{user.id}", ctx.request)


def _user_page(ctx: Ctx, user_id: int, status: int | None = None, **extra: object) -> Response:
    user = service.access_user(ctx.session, user_id)
    can_write = ctx.principal.can(USER_WRITE) and may_manage(ctx.principal, user.grants)
    return render(
        ctx.request,
        "accounts/user.html",
        {"user": user, "can_write": can_write, **extra},
        status=status or (422 if extra.get("error") else 200),
    )


@router.get("/users/{user_id}")
def user_detail(user_id: UserId, ctx: Ctx = permit(USER_READ)) -> Response:
    return _user_page(ctx, user_id)


@router.post("/users/{user_id}/active")
def set_active(
    user_id: UserId,
    ctx: Ctx = permit(USER_WRITE),
    active: Annotated[str, Form(max_length=1)] = "0",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    user = service.access_user(ctx.session, user_id)
    try:
        service.set_active(ctx.session, actor=ctx.principal, user=user, active=active == "1", reason=reason or None)
    except Invalid as exc:
        return _user_page(ctx, user_id, error=exc.message)
    return redirect(f"/users/{user_id}", ctx.request)


@router.post("/users/{user_id}/grants")
def add_grant(
    user_id: UserId,
    ctx: Ctx = permit(USER_WRITE),
    role: Annotated[str, Form(max_length=20)] = "",
    division_code: Annotated[str, Form(max_length=12)] = "",
    unit_id: Annotated[str, Form(max_length=12)] = "",
    division_code__q: Annotated[str, Form(max_length=50)] = "",
    unit_id__q: Annotated[str, Form(max_length=120)] = "",
) -> Response:
    user = service.access_user(ctx.session, user_id)
    form = {"division_code": division_code, "unit_id": unit_id}
    form.update(division_code__q=division_code__q, unit_id__q=unit_id__q)
    try:
        division_code, unit_id = _picked(ctx, form)
        spec = service.GrantSpec(role, division_code or None, _optional_int(unit_id, "unit_id"))
        service.grant_role(ctx.session, actor=ctx.principal, user=user, spec=spec)
    except DomainError as exc:
        return _user_page(ctx, user_id, status=exc.status if exc.status != 404 else 422, error=exc.message)
    return redirect(f"/users/{user_id}", ctx.request)


@router.post("/users/{user_id}/grants/{grant_id}/delete")
def remove_grant(user_id: UserId, grant_id: UserId, ctx: Ctx = permit(USER_WRITE)) -> Response:
    user = service.access_user(ctx.session, user_id)
    service.revoke_grant(ctx.session, actor=ctx.principal, user=user, grant_id=grant_id)
    return redirect(f"/users/{user_id}", ctx.request)


@router.post("/users/{user_id}/unlock")
def unlock(user_id: UserId, ctx: Ctx = permit(USER_WRITE)) -> Response:
    user = service.access_user(ctx.session, user_id)
    service.unlock_user(ctx.session, actor=ctx.principal, user=user)
    return _user_page(ctx, user_id, notice=_("The account's login locks have been lifted."))


@router.post("/users/{user_id}/password")
def reset_password(
    user_id: UserId, ctx: Ctx = permit(USER_WRITE), password: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    user = service.access_user(ctx.session, user_id)
    try:
        service.reset_password(ctx.session, actor=ctx.principal, settings=ctx.settings, user=user, password=password)
    except Invalid as exc:
        return _user_page(ctx, user_id, error=exc.message)
    return _user_page(ctx, user_id, notice=_("The password has been reset; it must be changed at next login."))
