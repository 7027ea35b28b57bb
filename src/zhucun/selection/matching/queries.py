"""Reads of a term's selection, always through the session's scope."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhucun.core.codes import level_of
from zhucun.core.scope import Area
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import Cadre, CadrePosting

from .models import Assignment, MarkedVillage, MatchRun

FIRST_SECRETARY = "1"  # the posting role of a first secretary (cadres catalogue)


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


def latest_term(session: Session, area: str) -> int | None:
    """The latest term with villages marked in the area."""
    return session.scalar(select(func.max(MarkedVillage.term)).where(Area.of(area).within(MarkedVillage.village_code)))


def teams(session: Session, area: str, term: int, *, incomplete: bool = False) -> list[dict[str, Any]]:
    """Each marked village of the area for the term with its team in post now: one GROUP BY.
    A team is complete with its first secretary and at least its team size in post."""
    posted = func.count(CadrePosting.id)
    secretaries = func.coalesce(func.sum(case((CadrePosting.role == FIRST_SECRETARY, 1), else_=0)), 0)
    statement = (
        select(MarkedVillage.village_code, MarkedVillage.team_size, posted, secretaries)
        .outerjoin(
            CadrePosting,
            (CadrePosting.county_code == MarkedVillage.county_code)
            & (CadrePosting.village_code == MarkedVillage.village_code)
            & CadrePosting.end_date.is_(None),
        )
        .where(MarkedVillage.term == term, Area.of(area).within(MarkedVillage.village_code))
        .group_by(MarkedVillage.village_code, MarkedVillage.team_size)
        .order_by(MarkedVillage.village_code)
    )
    if counties := _counties(area):
        statement = statement.where(MarkedVillage.county_code.in_(counties))
    rows = [
        {"code": code, "team_size": size, "posted": n, "complete": n >= size and fs >= 1}
        for code, size, n, fs in session.execute(statement)
    ]
    return [r for r in rows if not r["complete"]] if incomplete else rows


def _counties(area: str) -> list[str]:
    # A county, township or village area names its county, so that Citus asks one shard.
    return [area[:6]] if level_of(area) in ("county", "township", "village") else []
