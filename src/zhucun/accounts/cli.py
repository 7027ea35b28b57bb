"""``zhucun init`` and ``zhucun user``: the first administrator and account management."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import select

from ..core.auth import normalize_username
from ..core.i18n import _
from ..core.migrate import upgrade
from ..core.models import RoleGrant, User
from ..core.permissions import Role
from . import service

app = typer.Typer(help="Accounts: add, grant roles, disable, list")
init_app = typer.Typer()


@init_app.command("init")
def init(
    admin: Annotated[str, typer.Option(help="User name of the first administrator")],
    password: Annotated[str, typer.Option(help="Password of the first administrator")],
    name: Annotated[str, typer.Option(help="Display name")] = "系统管理员",
) -> None:
    """Create and migrate the database and the first administrator; a second run changes nothing."""
    from ..cli import clerk_errors, settings, system_session

    @clerk_errors
    def run() -> None:
        upgrade(settings().database_url)
        with system_session() as (session, actor):
            # Once any country-wide administrator exists, init is done: a second run (with the
            # same name or another) must not add a second superuser nor reset a password.
            existing = session.scalars(
                select(User.username)
                .join(RoleGrant)
                .where(RoleGrant.role == Role.ADMIN.value, RoleGrant.division_code.is_(None))
                .order_by(User.username != normalize_username(admin), User.id)
            ).first()
            if existing is not None:
                typer.echo(_("The administrator {name} already exists; nothing was changed.").format(name=existing))
                return
            service.create_user(
                session,
                actor=actor,
                settings=settings(),
                username=admin,
                display_name=name,
                password=password,
                division_code=None,
                grants=[service.GrantSpec(Role.ADMIN.value)],
                must_change_password=False,
            )
            typer.echo(_("Administrator {name} created.").format(name=admin))

    run()


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="User name")],
    role: Annotated[Role, typer.Option(help="Role")],
    password: Annotated[str, typer.Option(help="Initial password, to be changed at first login")],
    scope: Annotated[str | None, typer.Option(help="12-digit division code of the role's area")] = None,
    unit: Annotated[int | None, typer.Option(help="Dispatching unit id, for the unit role")] = None,
    display_name: Annotated[str | None, typer.Option("--display-name", help="Display name")] = None,
) -> None:
    """Add an account with one role; its password must be changed at first login."""
    from ..cli import clerk_errors, settings, system_session

    @clerk_errors
    def run() -> None:
        with system_session() as (session, actor):
            user = service.create_user(
                session,
                actor=actor,
                settings=settings(),
                username=name,
                display_name=display_name or name,
                password=password,
                division_code=scope,
                grants=[service.GrantSpec(role.value, scope, unit)],
            )
            typer.echo(_("Account {name} created (id {id}).").format(name=user.username, id=user.id))

    run()


def _find(session, name: str) -> User:
    from ..core.errors import NotFound
    from ..core.i18n import _l

    user = session.scalars(select(User).where(User.username == normalize_username(name))).one_or_none()
    if user is None:
        raise NotFound(_l("There is no account named {name}."), name=name)
    return user


@app.command("grant")
def grant(
    name: str,
    role: Annotated[Role, typer.Option()],
    scope: Annotated[str | None, typer.Option()] = None,
    unit: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Give an account another role, with its own area."""
    from ..cli import clerk_errors, system_session

    @clerk_errors
    def run() -> None:
        with system_session() as (session, actor):
            service.grant_role(
                session, actor=actor, user=_find(session, name), spec=service.GrantSpec(role.value, scope, unit)
            )
            typer.echo(_("Role granted."))

    run()


@app.command("disable")
def disable(name: str, reason: Annotated[str, typer.Option(help="Why")] = "") -> None:
    """Disable an account and end its sessions."""
    from ..cli import clerk_errors, system_session

    @clerk_errors
    def run() -> None:
        with system_session() as (session, actor):
            service.set_active(session, actor=actor, user=_find(session, name), active=False, reason=reason or None)
            typer.echo(_("Account {name} disabled.").format(name=name))

    run()


@app.command("unlock")
def unlock(name: str, reason: Annotated[str, typer.Option(help="Why")] = "") -> None:
    """Lift the login locks of an account (after failed logins), from every address."""
    from ..cli import clerk_errors, system_session

    @clerk_errors
    def run() -> None:
        with system_session() as (session, actor):
            service.unlock_user(session, actor=actor, user=_find(session, name), reason=reason or None)
            typer.echo(_("Account {name} unlocked.").format(name=name))

    run()


@app.command("list")
def list_users() -> None:
    """List the accounts with their roles."""
    from ..cli import system_session

    with system_session(write=False) as (session, _actor):
        for user in session.scalars(select(User).order_by(User.id)):
            roles = ", ".join(f"{g.role}@{g.division_code or '*'}" for g in user.grants)
            state = "" if user.is_active else " [disabled]"
            typer.echo(f"{user.id}\t{user.username}\t{user.display_name}\t{roles}{state}")
