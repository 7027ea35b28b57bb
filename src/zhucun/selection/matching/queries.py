"""Reads of a term's selection, always through the session's scope."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.scope import Area
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import Cadre

from .models import Assignment, MarkedVillage, MatchRun


def marked(session: Session, term: int, area: str | None) -> list[MarkedVillage]:
    statement = select(MarkedVillage).where(MarkedVillage.term == term)
    if area:
        statement = statement.where(Area.of(area).within(MarkedVillage.village_code))
    return list(session.scalars(statement.order_by(MarkedVillage.village_code)))


def run_of(session: Session, county: str, term: int) -> MatchRun | None:
    return session.scalars(select(MatchRun).where(MatchRun.county_code == county[:6], MatchRun.term == term)).first()


def assignments(session: Session, county: str, term: int) -> list[Assignment]:
    return list(
        session.scalars(
            select(Assignment)
            .where(Assignment.county_code == county[:6], Assignment.term == term)
            .order_by(Assignment.village_code, Assignment.role.desc(), Assignment.cadre_id)
        )
    )


def names(
    session: Session, county: str, cadre_ids: list[int], villages: list[str]
) -> tuple[dict[int, str], dict[str, str]]:
    """Cadre and village names for a page: names instead of numbers and codes."""
    people = dict(
        session.execute(
            select(Cadre.id, Cadre.name).where(Cadre.county_code == county[:6], Cadre.id.in_(cadre_ids))
        ).all()
    )
    places = dict(session.execute(select(Division.code, Division.name).where(Division.code.in_(villages))).all())
    return people, places
