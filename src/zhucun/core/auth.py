"""Authentication: Argon2 passwords, login throttling, sessions and tokens, the principal.

Login answers are the same for known and unknown user names: a wrong password and an
unknown name both count a failure, and a locked name answers 429 either way.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..config import Settings
from .audit import Actor, record
from .db import Database, utcnow
from .errors import DomainError, Forbidden, TooMany, Unauthorized
from .i18n import _l
from .models import AuthSession, LoginThrottle, RoleGrant, User
from .passwords import check_strength
from .permissions import Role, role_covers, role_has
from .scope import Area, Scope

_hasher = PasswordHasher()
# Verified against when the user name is unknown, so that both cases take as long.
_dummy_hash: str | None = None


def configure_hashing(settings: Settings) -> None:
    """Use the settings' Argon2 cost for new hashes (old hashes carry their own)."""
    global _hasher, _dummy_hash
    wanted = (settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)
    if (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism) != wanted:
        _hasher = PasswordHasher(time_cost=wanted[0], memory_cost=wanted[1], parallelism=wanted[2])
        _dummy_hash = None


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("zhucun-timing-equaliser")
    return _dummy_hash


WEB, API = "web", "api"


def normalize_username(username: str) -> str:
    return (username or "").strip().lower()[:64]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_policy(password: str, *, username: str, settings: Settings, field: str = "new_password") -> None:
    check_strength(password, username=username, settings=settings, field=field)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# --- throttling -------------------------------------------------------------------------


def _locked_for(row: LoginThrottle | None, now: datetime) -> int:
    if row is None or row.locked_until is None or row.locked_until <= now:
        return 0
    return max(1, int((row.locked_until - now).total_seconds() + 0.999))


def _too_many(seconds: int) -> TooMany:
    return TooMany(
        _l("Too many failed logins. Try again in {minutes} minute(s)."),
        retry_after=seconds,
        minutes=(seconds + 59) // 60,
    )


LOGIN_FAILED = "account:login:failed"


def _lock_length(settings: Settings, lockouts: int) -> timedelta:
    minutes = settings.login_lock_minutes * 2 ** min(lockouts, 16)
    return timedelta(minutes=min(minutes, settings.login_lock_max_minutes))


def _count_failure(db: Database, name: str, settings: Settings, ip: str | None) -> None:
    with db.begin() as session:
        now = utcnow()
        row = session.get(LoginThrottle, (name, ip or ""), with_for_update=True)
        window = timedelta(minutes=settings.login_lock_minutes)
        if row is None:
            row = LoginThrottle(username=name, address=ip or "", failures=0, lockouts=0)
            session.add(row)
        if row.locked_until is not None and row.locked_until <= now:
            # The lock has run out: count afresh, but the next lock lasts longer.
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
        elif row.first_failure_at is None or now - row.first_failure_at > window:
            row.failures, row.first_failure_at, row.lockouts = 0, now, 0
        row.failures += 1
        if row.failures >= settings.login_max_failures:
            row.locked_until = now + _lock_length(settings, row.lockouts)
            row.lockouts += 1
        record(
            session,
            actor=Actor(None, name, "web", ip),
            action=LOGIN_FAILED,
            entity="user",
            entity_id=name,
            after={"failures": row.failures, "locked": row.locked_until is not None},
        )


def check_credentials(db: Database, username: str, password: str, settings: Settings, *, ip: str | None = None) -> User:
    """The active account with this name and password, or 401/429; failures are counted per
    name and client address, so that a stranger cannot lock the holder out from elsewhere."""
    name = normalize_username(username)
    key = (name, ip or "")
    with db.begin(write=False) as session:
        locked = _locked_for(session.get(LoginThrottle, key), utcnow())
        if locked:
            raise _too_many(locked)
        user = session.scalars(select(User).where(User.username == name)).one_or_none()
        ok = _verify(user.password_hash if user else _dummy(), password or "")
    if not ok or user is None or not user.is_active:
        _count_failure(db, name, settings, ip)
        raise Unauthorized(_l("Wrong user name or password."), code="invalid_credentials")
    with db.begin() as session:
        session.execute(delete(LoginThrottle).where(LoginThrottle.username == name, LoginThrottle.address == key[1]))
    return user


def unlock(session: Session, username: str) -> int:
    """Lift every login lock and failure count of a user name; how many addresses were locked."""
    result = session.execute(delete(LoginThrottle).where(LoginThrottle.username == normalize_username(username)))
    return int(getattr(result, "rowcount", 0) or 0)


# --- sessions and tokens ----------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def start_session(
    session: Session, user: User, *, kind: str, settings: Settings, ip: str | None = None, user_agent: str | None = None
) -> tuple[str, AuthSession]:
    """A new session (web) or token (api) for the user; returns the secret and the row."""
    secret = secrets.token_urlsafe(32)
    now = utcnow()
    lifetime = timedelta(hours=settings.session_absolute_hours if kind == WEB else settings.token_hours)
    row = AuthSession(
        id=_digest(secret),
        user_id=user.id,
        kind=kind,
        csrf_token=secrets.token_urlsafe(24) if kind == WEB else None,
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
        ip=ip,
        user_agent=(user_agent or "")[:300] or None,
    )
    session.add(row)
    return secret, row


def end_session(session: Session, secret: str | None) -> None:
    if secret:
        session.execute(delete(AuthSession).where(AuthSession.id == _digest(secret)))


def end_all_sessions(session: Session, user_id: int) -> None:
    session.execute(delete(AuthSession).where(AuthSession.user_id == user_id))


def resolve_session(db: Database, secret: str, *, kind: str, settings: Settings) -> tuple[AuthSession, User] | None:
    """The live session behind a secret, touched; None when unknown, expired or idle."""
    now = utcnow()
    with db.begin(write=False) as session:
        row = session.get(AuthSession, _digest(secret))
        if row is None or row.kind != kind:
            return None
        user = session.get(User, row.user_id)
        idle = timedelta(minutes=settings.session_idle_minutes)
        expired = row.expires_at <= now or (kind == WEB and now - row.last_seen_at > idle)
        stale = (now - row.last_seen_at).total_seconds() > settings.session_touch_seconds
        if user is not None:
            _ = user.grants  # load while the session is open
    if expired or user is None or not user.is_active:
        with db.begin() as session:
            session.execute(delete(AuthSession).where(AuthSession.id == row.id))
        return None
    if stale:
        with db.begin() as session:
            live = session.get(AuthSession, row.id)
            if live is not None:
                live.last_seen_at = now
    return row, user


# --- the principal ----------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    role: Role
    division_code: str | None
    unit_id: int | None = None


@dataclass(frozen=True)
class Principal:
    """The acting account, its grants, and how it came in."""

    user_id: int | None
    username: str
    display_name: str
    grants: tuple[Grant, ...]
    via: str = WEB
    ip: str | None = None
    session_id: str | None = None
    csrf_token: str | None = None
    locale: str | None = None
    division_code: str | None = None
    _scopes: dict[str, Scope] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def of(cls, user: User, **kwargs: Any) -> Principal:
        grants = tuple(Grant(Role(g.role), g.division_code, g.unit_id) for g in user.grants)
        return cls(
            user.id,
            user.username,
            user.display_name,
            grants,
            locale=user.locale,
            division_code=user.division_code,
            **kwargs,
        )

    @classmethod
    def system(cls, scope_code: str | None = None) -> Principal:
        """The operator at the command line: an administrator of the given area."""
        return cls(None, "system", "system", (Grant(Role.ADMIN, scope_code),), via="cli")

    @property
    def is_operator(self) -> bool:
        """The operator at the command line, who holds the machine and its keys anyway."""
        return self.user_id is None and self.via == "cli"

    @property
    def roles(self) -> set[Role]:
        return {g.role for g in self.grants}

    def can(self, permission: str) -> bool:
        return any(role_has(g.role, permission) for g in self.grants)

    def scope_for(self, permission: str) -> Scope:
        """The union of the areas of every grant whose role holds the permission."""
        if permission not in self._scopes:
            areas = [
                Area.of(g.division_code, g.unit_id if g.role == Role.UNIT else None)
                for g in self.grants
                if role_has(g.role, permission)
            ]
            self._scopes[permission] = Scope.of(areas)
        return self._scopes[permission]

    @property
    def actor(self) -> Actor:
        return Actor(self.user_id, self.username, self.via, self.ip)


# --- who may manage whom -------------------------------------------------------------

# Accounts that watch or run the system: only an administrator of a strictly wider area
# manages them, so that no one below can take over the account that audits or runs them.
PRIVILEGED_ROLES = frozenset({Role.ADMIN, Role.AUDITOR})


def _area(grant: Grant) -> Area:
    return Area.of(grant.division_code, grant.unit_id if grant.role == Role.UNIT else None)


def _covers(holder: Grant, wanted: Grant) -> bool:
    if wanted.role in PRIVILEGED_ROLES:
        mine, theirs = _area(holder), _area(wanted)
        return holder.role == Role.ADMIN and mine.contains(theirs) and mine.prefix != theirs.prefix
    return role_covers(holder.role, wanted.role) and _area(holder).contains(_area(wanted))


def may_manage(actor: Principal, grants: Iterable[Grant | RoleGrant]) -> bool:
    """Whether the actor may set the password of, disable, enable, edit or change the roles of
    an account holding these grants: each must be covered by one of the actor's own grants
    (a superset of its rights over an area containing its area)."""
    if actor.is_operator:
        return True
    wanted = [g if isinstance(g, Grant) else Grant(Role(g.role), g.division_code, g.unit_id) for g in grants]
    return all(any(_covers(held, w) for held in actor.grants) for w in wanted)


def require_manage(actor: Principal, grants: Iterable[Grant | RoleGrant]) -> None:
    """Raise 403 unless the actor may manage an account holding these grants (see ``may_manage``)."""
    if not may_manage(actor, grants):
        raise Forbidden(
            _l("Your own roles and areas do not cover this account's, so you cannot manage it."),
            code="account_not_manageable",
        )


def grants_of(session: Session, user_id: int) -> list[RoleGrant]:
    return list(session.scalars(select(RoleGrant).where(RoleGrant.user_id == user_id)))


class PasswordChangeRequired(DomainError):
    status = 403
    code = "password_change_required"

    def __init__(self) -> None:
        super().__init__(_l("You must change your initial password before you continue."))
