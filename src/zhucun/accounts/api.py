"""Account API: tokens, password change, the current account, and account management."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from ..core.auth import API
from ..core.deps import FORM, JSON, Ctx, client_ip, get_db, get_settings, permit, public_form
from ..core.errors import Invalid
from ..core.http import translate_validation
from ..core.i18n import _l
from ..core.pagination import int_id
from ..core.permissions import PERMISSIONS, SELF, USER_READ, USER_WRITE, declare
from . import queries, service
from .schemas import (
    GrantIn,
    GrantOut,
    MeOut,
    PasswordChangeIn,
    PasswordResetIn,
    TokenOut,
    UserIn,
    UserOut,
    UserPage,
    UserPatch,
)

SELF_WRITE = declare("accounts:self:write", _l("Change one's own session"))
router = APIRouter(prefix="/api/v1", tags=["accounts"])
UserId = Annotated[int, int_id()]
GrantId = Annotated[int, int_id()]


@router.post("/auth/token", response_model=TokenOut, dependencies=[public_form()])
def issue_token(
    request: Request, username: Annotated[str, Form(max_length=200)], password: Annotated[str, Form(max_length=200)]
) -> TokenOut:
    """OAuth2 password flow: a bearer token for the API."""
    settings = get_settings(request)
    secret, _user = service.log_in(
        get_db(request),
        settings=settings,
        username=username,
        password=password,
        kind=API,
        ip=client_ip(request),
        user_agent=request.headers.get("user-agent"),
    )
    return TokenOut(access_token=secret, expires_in=settings.token_hours * 3600)


async def _password_body(request: Request) -> PasswordChangeIn:
    if request.headers.get("content-type", "").startswith(FORM):
        async with request.form() as form:
            data: Any = dict(form)
    else:
        try:
            data = await request.json()
        except ValueError:
            raise Invalid(_l("The request body is not valid JSON."), code="json_invalid") from None
    try:
        return PasswordChangeIn.model_validate(data)
    except ValidationError as exc:
        first = translate_validation({**exc.errors()[0], "loc": ("body", *exc.errors()[0]["loc"])})
        raise Invalid(first["message"], field=first["field"], code=first["code"]) from None


@router.post(
    "/auth/password",
    status_code=204,
    dependencies=[public_form(FORM, JSON)],
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": PasswordChangeIn.model_json_schema()}},
            "required": True,
        }
    },
)
async def change_password(request: Request) -> Response:
    """Change one's password with the old one (also answers a first-login password change)."""
    body = await _password_body(request)
    await run_in_threadpool(
        service.change_password,
        get_db(request),
        settings=get_settings(request),
        username=body.username,
        old_password=body.old_password,
        new_password=body.new_password,
        ip=client_ip(request),
    )
    return Response(status_code=204)


@router.post("/auth/logout", status_code=204)
def logout(ctx: Ctx = permit(SELF_WRITE)) -> Response:
    header = ctx.request.headers.get("authorization", "")
    secret = header[7:].strip() if header.lower().startswith("bearer ") else ctx.request.cookies.get("zhucun_session")
    service.log_out(ctx.db, principal=ctx.principal, secret=secret)
    return Response(status_code=204)


@router.get("/auth/me", response_model=MeOut)
def me(ctx: Ctx = permit(SELF)) -> MeOut:
    p = ctx.principal
    return MeOut(
        id=p.user_id,
        username=p.username,
        display_name=p.display_name,
        division_code=p.division_code,
        grants=[GrantIn(role=g.role, division_code=g.division_code, unit_id=g.unit_id) for g in p.grants],
        permissions=sorted(name for name in PERMISSIONS if p.can(name)),
    )


@router.get("/users", response_model=UserPage)
def list_users(
    ctx: Ctx = permit(USER_READ),
    q: Annotated[str | None, Query(max_length=64)] = None,
    role: Annotated[str | None, Query(max_length=20)] = None,
    active: bool | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> UserPage:
    items, next_cursor = queries.list_users(ctx.session, q=q, role=role, active=active, cursor=cursor, limit=limit)
    return UserPage(items=[UserOut.model_validate(u) for u in items], next_cursor=next_cursor)


@router.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, ctx: Ctx = permit(USER_WRITE)) -> UserOut:
    user = service.create_user(
        ctx.session,
        actor=ctx.principal,
        settings=ctx.settings,
        username=body.username,
        display_name=body.display_name,
        password=body.password,
        division_code=body.division_code,
        grants=[service.GrantSpec(g.role.value, g.division_code, g.unit_id) for g in body.grants],
    )
    return UserOut.model_validate(user)


@router.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: UserId, ctx: Ctx = permit(USER_READ)) -> UserOut:
    return UserOut.model_validate(service.access_user(ctx.session, user_id))


@router.patch("/users/{user_id}", response_model=UserOut)
def update_user(user_id: UserId, body: UserPatch, ctx: Ctx = permit(USER_WRITE)) -> UserOut:
    session: Session = ctx.session
    user = service.access_user(session, user_id)
    if body.display_name is not None or body.division_code is not None:
        user = service.update_user(
            session, actor=ctx.principal, user=user, display_name=body.display_name, division_code=body.division_code
        )
    if body.is_active is not None and body.is_active != user.is_active:
        user = service.set_active(session, actor=ctx.principal, user=user, active=body.is_active, reason=body.reason)
    return UserOut.model_validate(user)


@router.post("/users/{user_id}/grants", response_model=GrantOut, status_code=201)
def grant_role(user_id: UserId, body: GrantIn, ctx: Ctx = permit(USER_WRITE)) -> GrantOut:
    user = service.access_user(ctx.session, user_id)
    grant = service.grant_role(
        ctx.session,
        actor=ctx.principal,
        user=user,
        spec=service.GrantSpec(body.role.value, body.division_code, body.unit_id),
    )
    return GrantOut.model_validate(grant)


@router.delete("/users/{user_id}/grants/{grant_id}", status_code=204)
def revoke_grant(user_id: UserId, grant_id: GrantId, ctx: Ctx = permit(USER_WRITE)) -> Response:
    user = service.access_user(ctx.session, user_id)
    service.revoke_grant(ctx.session, actor=ctx.principal, user=user, grant_id=grant_id)
    return Response(status_code=204)


@router.post("/users/{user_id}/password", status_code=204)
def reset_password(user_id: UserId, body: PasswordResetIn, ctx: Ctx = permit(USER_WRITE)) -> Response:
    user = service.access_user(ctx.session, user_id)
    service.reset_password(ctx.session, actor=ctx.principal, settings=ctx.settings, user=user, password=body.password)
    return Response(status_code=204)


@router.post("/users/{user_id}/unlock", status_code=204)
def unlock_user(user_id: UserId, ctx: Ctx = permit(USER_WRITE)) -> Response:
    """Lift the login locks that failed logins put on the account, from every address."""
    service.unlock_user(ctx.session, actor=ctx.principal, user=service.access_user(ctx.session, user_id))
    return Response(status_code=204)
