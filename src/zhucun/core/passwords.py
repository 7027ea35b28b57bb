"""Password strength and reuse: a real strength estimator (zxcvbn), the published demo
password and the account's name refused, and the last few passwords not taken again."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from zxcvbn import zxcvbn

from ..config import Settings
from .errors import Invalid
from .i18n import _l
from .models import PasswordHistory, User

# The demo accounts' password is printed in the README: it opens any account that keeps it.
PUBLISHED = frozenset({"zhucun2026"})
# Words an attacker would try first against this system, besides the account's own name.
SYSTEM_WORDS = ("zhucun", "qinglan", "bangfu", "admin", "password")
# zxcvbn's cost grows with the length; past this it only says "strong" anyway.
ESTIMATED_CHARS = 100
_verifier = PasswordHasher()  # verifying needs no cost settings: a hash carries its own


def check_strength(password: str, *, username: str, settings: Settings, field: str = "new_password") -> None:
    """Refuse (422, at the field) a short, guessable, published or name-bearing password."""
    if len(password) < settings.password_min_length:
        raise Invalid(
            _l("The password must have at least {n} characters."),
            field=field,
            code="weak_password",
            n=settings.password_min_length,
        )
    name = (username or "").strip().lower()
    if password.lower() in PUBLISHED:
        raise Invalid(_l("This is the published demo password; choose your own."), field=field, code="weak_password")
    if name and name in password.lower():
        raise Invalid(_l("The password must not contain the user name."), field=field, code="weak_password")
    score = zxcvbn(password[:ESTIMATED_CHARS], user_inputs=[name, *SYSTEM_WORDS])["score"]
    if score < settings.password_min_score:
        raise Invalid(
            _l(
                "This password is too easy to guess (strength {score} of 4, {needed} needed). "
                "Use a longer one, for example several unrelated words with digits or signs."
            ),
            field=field,
            code="weak_password",
            score=score,
            needed=settings.password_min_score,
        )


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _verifier.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _recent(session: Session, user_id: int, keep: int) -> list[PasswordHistory]:
    query = (
        select(PasswordHistory)
        .where(PasswordHistory.user_id == user_id)
        .order_by(PasswordHistory.id.desc())
        .execution_options(populate_existing=True)
    )
    return list(session.scalars(query.limit(max(keep, 0))))


def check_reuse(session: Session, user: User, password: str, *, settings: Settings, field: str) -> None:
    """Refuse the current password and the ones before it (``password_history`` in all)."""
    keep = settings.password_history
    if keep <= 0:
        return
    hashes = [user.password_hash, *(row.password_hash for row in _recent(session, user.id, keep - 1))]
    if any(_matches(h, password) for h in hashes):
        raise Invalid(
            _l("This password was used recently; choose one different from your last {n}."),
            field=field,
            code="password_reused",
            n=keep,
        )


def remember(session: Session, user: User, *, settings: Settings) -> None:
    """Keep the password being replaced, and no more than the history needs."""
    if settings.password_history <= 1:
        return
    session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash))
    session.flush()
    kept = [row.id for row in _recent(session, user.id, settings.password_history - 1)]
    session.execute(delete(PasswordHistory).where(PasswordHistory.user_id == user.id, PasswordHistory.id.not_in(kept)))
