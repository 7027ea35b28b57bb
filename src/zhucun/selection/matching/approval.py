"""What approval checks before a county's proposal becomes postings: every proposed team
complete (its first secretary and its team size), and no proposed village still served by a
team in post. Each refusal names the villages, read by their names; nothing is written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from zhucun.core.errors import Conflict, Invalid
from zhucun.core.i18n import _l, current_locale
from zhucun.core.naming import Names
from zhucun.selection.cadres.models import CadrePosting

from .models import Assignment, MarkedVillage
from .solver import FS


def _names(session: Session, codes: Sequence[str]) -> str:
    """The villages by name; the code beside a name only where two of them share it (the
    clerk tells two 新村 apart by it)."""
    known = Names(session).named(codes)
    shared = {name for name, n in Counter(known.values()).items() if n > 1}
    separator = ", " if current_locale() == "en" else "、"
    shown = [f"{known[c]}（{c}）" if known.get(c) in shared else known.get(c, c) for c in sorted(codes)]
    return separator.join(shown)


def incomplete(session: Session, county: str, term: int) -> list[str]:
    """Proposed villages whose team lacks its first secretary or falls short of its size."""
    teams = (
        select(
            Assignment.village_code,
            func.count().label("size"),
            func.sum(case((Assignment.role == FS, 1), else_=0)).label("fs"),
        )
        .where(Assignment.county_code == county, Assignment.term == term)
        .group_by(Assignment.village_code)
        .subquery()
    )
    rows = session.execute(
        select(teams.c.village_code)
        .join(
            MarkedVillage,
            (MarkedVillage.county_code == county)
            & (MarkedVillage.term == term)
            & (MarkedVillage.village_code == teams.c.village_code),
        )
        .where((teams.c.size < MarkedVillage.team_size) | (teams.c.fs != 1))
        .order_by(teams.c.village_code)
    )
    return list(rows.scalars())


def in_post(session: Session, county: str, term: int) -> list[str]:
    """Proposed villages where a posting is still open (the team of before, not yet rotated)."""
    proposed = select(Assignment.village_code).where(Assignment.county_code == county, Assignment.term == term)
    rows = session.scalars(
        select(CadrePosting.village_code)
        .where(
            CadrePosting.county_code == county,
            CadrePosting.end_date.is_(None),
            CadrePosting.village_code.in_(proposed),
        )
        .distinct()
        .order_by(CadrePosting.village_code)
    )
    return list(rows)


def check(session: Session, county: str, term: int) -> None:
    """Refuse the approval, villages named, when a proposed team is incomplete or would sit
    beside a team still in post."""
    short = incomplete(session, county, term)
    if short:
        raise Invalid(
            _l(
                "The proposed teams of {villages} are not complete (a first secretary and the team size); "
                "complete them or match again before approving."
            ),
            field="county",
            code="incomplete_team",
            villages=_names(session, short),
        )
    serving = in_post(session, county, term)
    if serving:
        raise Conflict(
            _l("{villages} still have a team in post; rotate the ended term or end those postings first."),
            field="county",
            code="team_in_post",
            villages=_names(session, serving),
        )
