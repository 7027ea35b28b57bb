"""Division reads: lists, children, search, breadcrumbs — always within the session's scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from ..core.codes import level_of, pad, prefix_upper_bound
from ..core.errors import Invalid
from ..core.i18n import _l
from ..core.pagination import keyset
from ..core.scope import access, across_areas, scope_of
from .models import Division, VillageGroup


def access_division(session: Session, code: str) -> Division:
    """The division a request names; 404 when missing or outside the scope alike."""
    return access(session, Division, code)


def access_county(session: Session, code: str, *, field: str = "county") -> Division:
    """The county a request names (404 outside the scope, 422 when it names another level)."""
    county = access_division(session, code)
    if level_of(code) != "county":
        raise Invalid(_l("{division} is not a county."), field=field, code="not_a_county", division=code)
    return county


def list_divisions(
    session: Session,
    *,
    parent: str | None = None,
    level: str | None = None,
    q: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
    everywhere: bool = False,
) -> tuple[list[Division], str | None]:
    statement = _anywhere(select(Division)) if everywhere else select(Division)
    if parent:
        statement = statement.where(Division.parent_code == parent)
    if level:
        statement = statement.where(Division.level == level)
    if q and q.strip():
        text = q.strip()
        if text.isdigit():
            # Code prefixes are ranges, so the primary key index serves them.
            statement = statement.where(Division.code >= text, Division.code < prefix_upper_bound(text))
        else:
            statement = statement.where(Division.name.contains(text, autoescape=True))
    return keyset(session, statement, [Division.code], cursor=cursor, limit=limit, key=lambda d: [d.code])


def roots(session: Session) -> list[Division]:
    """Where a tree starts for this scope: the areas' own divisions (provinces for the whole country)."""
    scope = scope_of(session)
    if scope is None or scope.is_everywhere:
        return list(session.scalars(select(Division).where(Division.parent_code.is_(None)).order_by(Division.code)))
    codes = [pad(prefix) for prefix in scope.prefixes()]
    return list(session.scalars(select(Division).where(Division.code.in_(codes)).order_by(Division.code)))


def children(session: Session, code: str) -> list[Division]:
    return list(session.scalars(select(Division).where(Division.parent_code == code).order_by(Division.code)))


def child_counts(session: Session, codes: list[str]) -> dict[str, int]:
    if not codes:
        return {}
    rows = session.execute(
        select(Division.parent_code, func.count()).where(Division.parent_code.in_(codes)).group_by(Division.parent_code)
    )
    return dict(rows.all())


def breadcrumb(session: Session, division: Division) -> list[Division]:
    """The visible ancestors of a division, top first (those outside the scope are left out)."""
    trail: list[Division] = []
    code = division.parent_code
    while code:
        parent = session.scalars(select(Division).where(Division.code == code)).one_or_none()
        if parent is None:
            break
        trail.append(parent)
        code = parent.parent_code
    return trail[::-1]


def groups(session: Session, village_code: str) -> list[VillageGroup]:
    return list(
        session.scalars(
            select(VillageGroup).where(VillageGroup.village_code == village_code).order_by(VillageGroup.number)
        )
    )


def _anywhere(statement: Select[Any]) -> Select[Any]:
    """A read of divisions across every area. Division names and codes are public (the
    statistics bureau publishes them), so a field that names a place anywhere in China — a
    cadre's hometown — may search them all; rows of other tables never go through this."""
    return across_areas(statement)  # type: ignore[no-any-return]


def named(session: Session, text: str, level: str | None = None, *, everywhere: bool = False) -> list[tuple[str, str]]:
    """(code, name) of the divisions of the caller's area (or of every area) named exactly
    ``text``: what a picker resolves a typed name to when nothing was picked."""
    statement = select(Division.code, Division.name).where(Division.name == text)
    if everywhere:
        statement = _anywhere(statement)
    if level:
        statement = statement.where(Division.level == level)
    return [(code, name) for code, name in session.execute(statement.limit(5))]


def search(session: Session, text: str, limit: int = 30) -> list[Division]:
    return list_divisions(session, q=text, limit=limit)[0]


def with_parents(session: Session, items: list[Division]) -> dict[str, str]:
    """Names of the parents of a list, for showing where a search hit lies."""
    codes = sorted({d.parent_code for d in items if d.parent_code})
    if not codes:
        return {}
    return dict(session.execute(select(Division.code, Division.name).where(Division.code.in_(codes))).all())


__all__ = ["breadcrumb", "children", "groups", "list_divisions", "or_", "roots", "search"]
