"""The competency profile of any list of cadres, read in one set-based query: the unit's
assessment and the record are on the cadres already loaded; previous postings are counted
for all of them at once. The matching adds ``scores`` to its fit (aligned with its list)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import case, distinct, func, select, tuple_
from sqlalchemy.orm import Session

from zhucun.core.scope import ACROSS_AREAS
from zhucun.selection.cadres import profile as rules
from zhucun.selection.cadres.models import Cadre, CadrePosting

# Up to this many cadres the query names each of them; past it, their counties (a
# matching's candidates are most cadres of their counties, and a long IN list is slow).
BY_KEY = 1000
ROLES = ("1", "2", "3")


@dataclass(frozen=True)
class Experience:
    """Previous (ended) postings: how many, in how many villages, how many in each role."""

    postings: int = 0
    villages: int = 0
    roles: dict[str, int] = field(default_factory=dict)  # posting role code → postings


@dataclass(frozen=True)
class Profile:
    assessed: dict[str, int | None]  # factor → the unit's level, None while not assessed
    assessed_on: date | None
    assessed_by: int | None
    record: dict[str, int | None]  # factor → the record's level ("political", "ability")
    experience: Experience
    score: float

    @property
    def is_assessed(self) -> bool:
        return any(level is not None for level in self.assessed.values())


def _experience(session: Session, cadres: Sequence[Cadre]) -> dict[tuple[str, int], Experience]:
    """Ended postings of the cadres, counted per cadre in one query."""
    if not cadres:
        return {}
    p = CadrePosting
    where: list[Any] = [p.end_date.is_not(None), p.county_code.in_(sorted({c.county_code for c in cadres}))]
    if len(cadres) <= BY_KEY:
        where.append(tuple_(p.county_code, p.cadre_id).in_([(c.county_code, c.id) for c in cadres]))
    roles = [func.sum(case((p.role == role, 1), else_=0)) for role in ROLES]
    statement = (
        select(p.county_code, p.cadre_id, func.count(), func.count(distinct(p.village_code)), *roles)
        .where(*where)
        .group_by(p.county_code, p.cadre_id)
        # The cadres were reached through the reader's scope: their postings are their record.
        .execution_options(**ACROSS_AREAS)
    )
    return {
        (county, cadre_id): Experience(
            int(count), int(villages), {r: int(n) for r, n in zip(ROLES, by_role, strict=True) if n}
        )
        for county, cadre_id, count, villages, *by_role in session.execute(statement)
    }


def profile(session: Session, cadres: Sequence[Cadre], *, on: date | None = None) -> dict[int, Profile]:
    """Each cadre's profile by id: the assessment, the record's levels, experience, score."""
    on = on or date.today()
    experience = _experience(session, cadres)
    seen = [experience.get((c.county_code, c.id), Experience()) for c in cadres]
    party = rules.full_years([c.party_joined if c.party_member else None for c in cadres], on)
    political = rules.political_levels(
        party,
        np.array([bool(c.discipline_until and c.discipline_until >= on) for c in cadres], dtype=bool),
        np.array([bool(c.discipline_until and c.discipline_until < on) for c in cadres], dtype=bool),
    )
    ability = rules.ability_levels(
        np.array([c.education for c in cadres], dtype=object),
        np.array([c.rank for c in cadres], dtype=object),
        rules.full_years([c.work_started for c in cadres], on),
        rules.skill_counts([c.skills for c in cadres]),
    )
    assessed = np.array([[_nan(getattr(c, f)) for f in rules.FACTORS] for c in cadres], dtype=float)
    shares = rules.experience_shares(
        np.array([e.postings for e in seen], dtype=float), np.array([e.roles.get("1", 0) for e in seen], dtype=float)
    )
    scores = rules.profile_score(assessed.reshape(len(cadres), len(rules.FACTORS)), political, ability, shares)
    return {
        c.id: Profile(
            assessed={f: getattr(c, f) for f in rules.FACTORS},
            assessed_on=c.assessed_on,
            assessed_by=c.assessed_by,
            record={"political": _level(political[i]), "ability": _level(ability[i])},
            experience=seen[i],
            score=float(scores[i]),
        )
        for i, c in enumerate(cadres)
    }


def scores(session: Session, cadres: Sequence[Cadre], *, on: date | None = None) -> np.ndarray:
    """``profile_score`` of each cadre, in the order given (for the matching's fit)."""
    profiles = profile(session, cadres, on=on)
    return np.array([profiles[c.id].score for c in cadres], dtype=float)


def _nan(value: int | None) -> float:
    return np.nan if value is None else float(value)


def _level(value: float) -> int | None:
    return None if np.isnan(value) else int(value)
