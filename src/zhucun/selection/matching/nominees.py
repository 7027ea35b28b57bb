"""The read side of the nominations page: the cadres in the reader's scope (a unit's account
sees its own), filtered by name, unit and nominated or not for a term, each with whether it is
nominated, where it serves now and — for the listed cadres at once — the eligibility rules it
fails, named (the same vectorised rules the matching applies)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Select, and_, exists, or_, select
from sqlalchemy.orm import Session

from zhucun.selection.cadres.models import Cadre, CadrePosting

from . import loader
from .models import Nomination
from .settings import RULES


def statement(term: int, *, q: str | None, unit_id: int | None, nominated: bool | None) -> Select[Any]:
    """The cadres of the list (the session's scope keeps them to the reader's)."""
    query = select(Cadre)
    text = (q or "").strip()
    if text:
        query = query.where(Cadre.name.contains(text, autoescape=True))
    if unit_id:
        query = query.where(Cadre.unit_id == unit_id)
    if nominated is not None:
        found = exists().where(
            Nomination.county_code == Cadre.county_code, Nomination.cadre_id == Cadre.id, Nomination.term == term
        )
        query = query.where(found if nominated else ~found)
    return query


def _by_county(cadres: list[Cadre]) -> Any:
    groups: dict[str, list[int]] = defaultdict(list)
    for c in cadres:
        groups[c.county_code].append(c.id)
    return groups.items()


def _notes(session: Session, cadres: list[Cadre], term: int) -> dict[tuple[str, int], str | None]:
    """The listed cadres nominated for the term, with the unit's note: one query."""
    where = or_(*(and_(Nomination.county_code == c, Nomination.cadre_id.in_(ids)) for c, ids in _by_county(cadres)))
    rows = session.execute(
        select(Nomination.county_code, Nomination.cadre_id, Nomination.note).where(Nomination.term == term, where)
    )
    return {(county, cadre_id): note for county, cadre_id, note in rows}


def _serving(session: Session, cadres: list[Cadre]) -> dict[tuple[str, int], str]:
    """The village each listed cadre is posted to now: one query."""
    where = or_(*(and_(CadrePosting.county_code == c, CadrePosting.cadre_id.in_(ids)) for c, ids in _by_county(cadres)))
    rows = session.execute(
        select(CadrePosting.county_code, CadrePosting.cadre_id, CadrePosting.village_code).where(
            CadrePosting.end_date.is_(None), where
        )
    )
    return {(county, cadre_id): village for county, cadre_id, village in rows}


def _faults(session: Session, cadres: list[Cadre], term: int) -> list[dict[str, Any]]:
    """(first secretary?, member?, failed rules named) per cadre, province by province."""
    judged: list[dict[str, Any]] = [{} for _ in cadres]
    provinces: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(cadres):
        provinces[c.county_code[:2]].append(i)
    for province, positions in provinces.items():
        rules = loader.rules_for(session, province, term)
        fs_ok, member_ok, faults = loader.judge(session, [cadres[i] for i in positions], rules)
        for k, i in enumerate(positions):
            judged[i] = {
                "first_secretary": bool(fs_ok[k]),
                "member": bool(member_ok[k]),
                "faults": [{"code": code, "label": str(RULES[code]).format(**p), **p} for code, p in faults[k]],
            }
    return judged


def rows(session: Session, cadres: list[Cadre], term: int) -> list[dict[str, Any]]:
    """The page's rows: each cadre with its nomination, posting and eligibility."""
    if not cadres:
        return []
    notes, serving = _notes(session, cadres, term), _serving(session, cadres)
    return [
        {
            "cadre": c,
            "key": f"{c.county_code}/{c.id}",
            "nominated": (c.county_code, c.id) in notes,
            "note": notes.get((c.county_code, c.id)),
            "village": serving.get((c.county_code, c.id)),
            **judged,
        }
        for c, judged in zip(cadres, _faults(session, cadres, term), strict=True)
    ]
