"""Account use cases: create, grant, revoke, disable, reset and change passwords, log in.

Each takes the acting principal explicitly, checks the rules, writes, records the audit
entry and commits once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.accounts.units.models import Unit
from zhucun.core.tx import relock, use_case

from ..config import Settings
from ..core import audit, present
from ..core.auth import (
    API,
    WEB,
    Grant,
    PasswordChangeRequired,
    Principal,
    check_credentials,
    check_password_policy,
    end_all_sessions,
    end_session,
    hash_password,
    normalize_username,
    require_manage,
    start_session,
    unlock,
)
from ..core.codes import level_of
from ..core.db import Database, utcnow
from ..core.errors import Conflict, Forbidden, Invalid, NotFound
from ..core.i18n import _l, current_locale
from ..core.models import RoleGrant, User
from ..core.passwords import check_reuse, remember
from ..core.permissions import PERMISSIONS, ROLE_LABELS, ROLE_LEVELS, Role, role_has
from ..core.present import Action
from ..core.scope import access, scope_of
from ..core.scope import get as scoped_get
from ..divisions.models import Division
from ..divisions.rules import LEVEL_LABELS

USERNAME_RE = re.compile(r"^[a-z0-9][a-z0-9_.\-]{2,63}$")


class Tag(StrEnum):
    USER_CREATED = "account:user:created"
    USER_UPDATED = "account:user:updated"
    USER_DISABLED = "account:user:disabled"
    USER_ENABLED = "account:user:enabled"
    ROLE_GRANTED = "account:role:granted"
    ROLE_REVOKED = "account:role:revoked"
    PASSWORD_RESET = "account:password:reset"
    PASSWORD_CHANGED = "account:password:changed"
    LOGGED_IN = "account:session:started"
    LOGGED_OUT = "account:session:ended"
    TOKEN_ISSUED = "account:token:issued"
    LOGIN_FAILED = "account:login:failed"
    USER_UNLOCKED = "account:user:unlocked"


LABELS = present.actions(
    {
        Tag.USER_UNLOCKED: Action(_l("Account unlocked"), _l("lifted the login locks of {object}"), clauses=False),
        Tag.USER_CREATED: Action(_l("Account created"), _l("created the account {object}"), clauses=False),
        Tag.USER_UPDATED: Action(_l("Account changed"), _l("changed the account {object}")),
        Tag.USER_DISABLED: Action(_l("Account disabled"), _l("disabled the account {object}"), clauses=False),
        Tag.USER_ENABLED: Action(_l("Account enabled"), _l("enabled the account {object}"), clauses=False),
        Tag.ROLE_GRANTED: Action(_l("Role granted"), _l("granted a role to {object}")),
        Tag.ROLE_REVOKED: Action(_l("Role revoked"), _l("revoked a role of {object}")),
        Tag.PASSWORD_RESET: Action(_l("Password reset"), _l("reset the password of {object}"), clauses=False),
        Tag.PASSWORD_CHANGED: Action(_l("Password changed"), _l("changed the password of {object}"), clauses=False),
        Tag.LOGGED_IN: Action(_l("Signed in"), _l("signed in"), clauses=False),
        Tag.LOGGED_OUT: Action(_l("Signed out"), _l("signed out"), clauses=False),
        Tag.TOKEN_ISSUED: Action(_l("API token issued"), _l("obtained an API token"), clauses=False),
        Tag.LOGIN_FAILED: Action(
            _l("Sign-in failed"), _l("could not sign in ({failures} failed attempts in a row)"), clauses=False
        ),
    }
)


@dataclass(frozen=True)
class GrantSpec:
    role: str
    division_code: str | None = None
    unit_id: int | None = None


def _snapshot(user: User) -> dict:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "division_code": user.division_code,
        "is_active": user.is_active,
        "grants": [[g.role, g.division_code, g.unit_id] for g in user.grants],
    }


def _misplaced(role: Role, field: str) -> Invalid:
    """A role asked for at a level it is not granted at, said with the role's label and the
    levels it fits (a clerk reads 帮扶责任人 and 乡镇、村, never ``helper``)."""
    levels = [LEVEL_LABELS[level] for level in ROLE_LEVELS[role] if level]
    return Invalid(
        _l("The role “{role}” is granted at the level of {levels}: pick a division of that level."),
        field=f"{field}.division_code",
        code="bad_scope_level",
        role=ROLE_LABELS[role],
        levels=Listing(levels),
    )


class Listing:
    """Labels joined in the reader's language when the message is formatted (、 in Chinese)."""

    def __init__(self, labels: list) -> None:
        self.labels = labels

    def __str__(self) -> str:
        return ("、" if current_locale() == "zh_CN" else ", ").join(str(label) for label in self.labels)


def _check_grantable(session: Session, actor: Principal, spec: GrantSpec, field: str) -> Role:
    """The role exists, fits the division's level, lies in the actor's scope, and the actor
    holds every permission it would hand out (no one grants more than they have)."""
    try:
        role = Role(spec.role)
    except ValueError:
        raise Invalid(_l("Unknown role {role}."), field=f"{field}.role", role=spec.role) from None
    level = level_of(spec.division_code) if spec.division_code else None
    if spec.division_code and scoped_get(session, Division, spec.division_code) is None:
        raise NotFound(
            _l("Division {division} does not exist or is outside your area."),
            field=f"{field}.division_code",
            division=spec.division_code,
        )
    if level not in ROLE_LEVELS[role]:
        raise _misplaced(role, field)
    if role == Role.UNIT:
        if spec.unit_id is None or scoped_get(session, Unit, spec.unit_id) is None:
            raise Invalid(
                _l("A dispatching-unit role needs an existing unit."), field=f"{field}.unit_id", code="unit_required"
            )
    elif spec.unit_id is not None:
        raise Invalid(_l("Only a dispatching-unit role carries a unit."), field=f"{field}.unit_id")
    scope = scope_of(session)
    if scope is not None and spec.division_code is None and not scope.is_everywhere:
        raise NotFound(
            _l("Division {division} does not exist or is outside your area."),
            field=f"{field}.division_code",
            division="-",
        )
    missing = [p for p in PERMISSIONS if role_has(role, p) and not actor.can(p)]
    if missing:
        raise Forbidden(
            _l("You cannot grant a role with more rights than your own."),
            field=f"{field}.role",
            code="grant_exceeds_rights",
        )
    return role


def _check_username(session: Session, username: str) -> str:
    name = normalize_username(username)
    if not USERNAME_RE.match(name):
        raise Invalid(
            _l("A user name has 3 to 64 letters, digits, dots, dashes or underscores."),
            field="username",
            code="bad_username",
        )
    if session.scalars(select(User.id).where(User.username == name)).first() is not None:
        raise Conflict(_l("The user name {name} is taken."), field="username", code="username_taken", name=name)
    return name


def _check_division(session: Session, code: str | None, field: str = "division_code") -> None:
    if code is None:
        return
    if scoped_get(session, Division, code) is None:
        raise NotFound(_l("Division {division} does not exist or is outside your area."), field=field, division=code)


@use_case
def create_user(
    session: Session,
    *,
    actor: Principal,
    settings: Settings,
    username: str,
    display_name: str,
    password: str,
    division_code: str | None,
    grants: list[GrantSpec],
    must_change_password: bool = True,
    check_password: bool = True,
) -> User:
    """Create an account with its roles; its password must be changed at first login.

    ``check_password=False`` is for the demo loader only, whose published password is the point."""
    name = _check_username(session, username)
    if not display_name.strip():
        raise Invalid(_l("This field is required."), field="display_name", code="missing")
    if check_password:
        check_password_policy(password, username=name, settings=settings, field="password")
    _check_division(session, division_code)
    roles = [_check_grantable(session, actor, spec, f"grants.{i}") for i, spec in enumerate(grants)]
    require_manage(actor, [Grant(r, s.division_code, s.unit_id) for r, s in zip(roles, grants, strict=True)])
    user = User(
        username=name,
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        must_change_password=must_change_password,
        is_active=True,
        division_code=division_code,
    )
    user.grants = [
        RoleGrant(role=role.value, division_code=spec.division_code, unit_id=spec.unit_id)
        for role, spec in zip(roles, grants, strict=True)
    ]
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.USER_CREATED,
        entity="user",
        entity_id=user.id,
        division=division_code,
        after=_snapshot(user),
    )
    return user


def access_user(session: Session, user_id: int) -> User:
    return access(session, User, user_id)


@use_case
def update_user(
    session: Session,
    *,
    actor: Principal,
    user: User,
    display_name: str | None = None,
    division_code: str | None = None,
    locale: str | None = None,
) -> User:
    user = relock(session, user)
    require_manage(actor, user.grants)
    before = _snapshot(user)
    if display_name is not None:
        if not display_name.strip():
            raise Invalid(_l("This field is required."), field="display_name", code="missing")
        user.display_name = display_name.strip()
    if division_code is not None:
        _check_division(session, division_code)
        user.division_code = division_code
    if locale is not None:
        user.locale = locale
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.USER_UPDATED,
        entity="user",
        entity_id=user.id,
        division=user.division_code,
        before=before,
        after=_snapshot(user),
    )
    return user


@use_case
def set_active(session: Session, *, actor: Principal, user: User, active: bool, reason: str | None) -> User:
    """Enable or disable an account; disabling ends its sessions and tokens at once."""
    user = relock(session, user)
    require_manage(actor, user.grants)
    if user.is_active == active:  # someone did it at the same moment: nothing to record twice
        return user
    if user.id == actor.user_id and not active:
        raise Invalid(_l("You cannot disable your own account."), field="is_active", code="self_disable")
    before = _snapshot(user)
    user.is_active = active
    if not active:
        end_all_sessions(session, user.id)
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.USER_ENABLED if active else Tag.USER_DISABLED,
        entity="user",
        entity_id=user.id,
        division=user.division_code,
        before=before,
        after=_snapshot(user),
        reason=reason,
    )
    return user


@use_case
def grant_role(session: Session, *, actor: Principal, user: User, spec: GrantSpec) -> RoleGrant:
    # Locked before its grants are read: two equal grants at once would otherwise both pass
    # (the unique constraint cannot hold them, as a grant without a unit has a NULL there).
    user = relock(session, user)
    role = _check_grantable(session, actor, spec, "grant")
    require_manage(actor, [*user.grants, Grant(role, spec.division_code, spec.unit_id)])
    if any((g.role, g.division_code, g.unit_id) == (role.value, spec.division_code, spec.unit_id) for g in user.grants):
        raise Conflict(_l("The account already holds this role here."), field="role", code="grant_exists")
    before = _snapshot(user)
    grant = RoleGrant(role=role.value, division_code=spec.division_code, unit_id=spec.unit_id)
    user.grants.append(grant)
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.ROLE_GRANTED,
        entity="user",
        entity_id=user.id,
        division=user.division_code,
        before=before,
        after=_snapshot(user),
    )
    return grant


@use_case
def revoke_grant(session: Session, *, actor: Principal, user: User, grant_id: int, reason: str | None = None) -> None:
    user = relock(session, user)
    require_manage(actor, user.grants)
    grant = next((g for g in user.grants if g.id == grant_id), None)
    scope = scope_of(session)
    if grant is None or (scope is not None and not scope.covers(grant.division_code)):
        raise NotFound()
    before = _snapshot(user)
    user.grants.remove(grant)
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.ROLE_REVOKED,
        entity="user",
        entity_id=user.id,
        division=user.division_code,
        before=before,
        after=_snapshot(user),
        reason=reason,
    )


@use_case
def reset_password(session: Session, *, actor: Principal, settings: Settings, user: User, password: str) -> None:
    """Set a new initial password; the holder must change it at next login."""
    user = relock(session, user)
    require_manage(actor, user.grants)
    check_password_policy(password, username=user.username, settings=settings, field="password")
    check_reuse(session, user, password, settings=settings, field="password")
    remember(session, user, settings=settings)
    user.password_hash = hash_password(password)
    user.must_change_password = True
    end_all_sessions(session, user.id)
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.PASSWORD_RESET,
        entity="user",
        entity_id=user.id,
        division=user.division_code,
    )


@use_case
def unlock_user(session: Session, *, actor: Principal, user: User, reason: str | None = None) -> int:
    """Lift the login locks of an account (from every address); how many there were."""
    require_manage(actor, user.grants)
    lifted = unlock(session, user.username)
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.USER_UNLOCKED,
        entity="user",
        entity_id=user.id,
        division=user.division_code,
        after={"locks_lifted": lifted},
        reason=reason,
    )
    return lifted


def change_password(
    db: Database, *, settings: Settings, username: str, old_password: str, new_password: str, ip: str | None = None
) -> User:
    """The holder changes their own password, proving the old one (throttled like a login)."""
    user = check_credentials(db, username, old_password, settings, ip=ip)
    if new_password == old_password:
        raise Invalid(_l("The new password must differ from the old one."), field="new_password", code="same_password")
    check_password_policy(new_password, username=user.username, settings=settings)
    with db.begin() as session:
        fresh = session.get(User, user.id)  # unscoped: the holder has just proved their password
        check_reuse(session, fresh, new_password, settings=settings, field="new_password")
        remember(session, fresh, settings=settings)
        fresh.password_hash = hash_password(new_password)
        fresh.must_change_password = False
        fresh.password_changed_at = utcnow()
        end_all_sessions(session, fresh.id)
        audit.record(
            session,
            actor=audit.Actor(fresh.id, fresh.username, "web", ip),
            action=Tag.PASSWORD_CHANGED,
            entity="user",
            entity_id=fresh.id,
            division=fresh.division_code,
        )
    return fresh


def log_in(
    db: Database,
    *,
    settings: Settings,
    username: str,
    password: str,
    kind: str,
    ip: str | None,
    user_agent: str | None,
    previous: str | None = None,
) -> tuple[str, User]:
    """Check the credentials and open a new session (web) or token (api): a fresh id every time."""
    user = check_credentials(db, username, password, settings, ip=ip)
    if user.must_change_password:
        raise PasswordChangeRequired()
    with db.begin() as session:
        end_session(session, previous)
        secret, _row = start_session(session, user, kind=kind, settings=settings, ip=ip, user_agent=user_agent)
        audit.record(
            session,
            actor=audit.Actor(user.id, user.username, kind, ip),
            action=Tag.LOGGED_IN if kind == WEB else Tag.TOKEN_ISSUED,
            entity="user",
            entity_id=user.id,
            division=user.division_code,
        )
    return secret, user


def log_out(db: Database, *, principal: Principal, secret: str | None) -> None:
    with db.begin() as session:
        end_session(session, secret)
        audit.record(
            session,
            actor=principal.actor,
            action=Tag.LOGGED_OUT,
            entity="user",
            entity_id=principal.user_id,
            division=principal.division_code,
        )


__all__ = ["API", "WEB", "GrantSpec", "Tag"]
