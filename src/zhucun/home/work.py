"""Helpers for the home-page item providers of every mechanism (see ``core.mechanism.HomeItem``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session

from ..core.permissions import Role
from ..core.scope import bind, scope_of


@contextmanager
def scoped(ctx: Any, permission: str) -> Iterator[Session]:
    """The request's session within the area of ``permission`` (the home page itself is
    allowed to everyone, with the union of every role's area), restored afterwards."""
    before = scope_of(ctx.session)
    bind(ctx.session, ctx.principal.scope_for(permission))
    try:
        yield ctx.session
    finally:
        if before is not None:
            bind(ctx.session, before)


def has_role(ctx: Any, *roles: Role) -> bool:
    return bool(ctx.principal.roles & set(roles))


def villages_of(ctx: Any, *roles: Role) -> list[str]:
    """The villages an account works in through these roles."""
    return sorted(
        {
            g.division_code
            for g in ctx.principal.grants
            if g.role in roles
            and g.division_code
            and len(g.division_code) == 12
            and not g.division_code.endswith("000")
        }
    )
