"""Work teams as the county sees them: each key village with the cadres posted there now,
and whether the team is complete (at least three in post, one of them first secretary)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, case, func, or_, select

from ...divisions.models import Division
from ..cadres.models import CadrePosting

FIRST_SECRETARY = "1"


def _open_postings() -> Any:
    """Per village: cadres in post now, and first secretaries among them (one GROUP BY)."""
    return (
        select(
            CadrePosting.village_code,
            func.count().label("in_post"),
            func.sum(case((CadrePosting.role == FIRST_SECRETARY, 1), else_=0)).label("secretaries"),
        )
        .where(CadrePosting.end_date.is_(None))
        .group_by(CadrePosting.village_code)
        .subquery()
    )


def team_statement(*, minimum: int, incomplete: bool = False, village: str | None = None) -> Select[Any]:
    posts = _open_postings()
    in_post = func.coalesce(posts.c.in_post, 0)
    secretaries = func.coalesce(posts.c.secretaries, 0)
    statement = (
        select(Division.code, Division.name, in_post.label("in_post"), secretaries.label("secretaries"))
        .outerjoin(posts, posts.c.village_code == Division.code)
        .where(Division.level == "village")
    )
    if village:
        statement = statement.where(Division.code == village)
    else:
        statement = statement.where(Division.is_key_village.is_(True))
    if incomplete:
        statement = statement.where(or_(in_post < minimum, secretaries == 0))
    return statement


def incomplete_count(session: Any, *, minimum: int) -> int:
    statement = team_statement(minimum=minimum, incomplete=True)
    return session.scalar(select(func.count()).select_from(statement.subquery())) or 0
