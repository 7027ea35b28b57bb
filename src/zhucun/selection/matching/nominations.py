"""Nominating a unit's cadres for a term, and withdrawing nominations, many at once: each a
use case in one transaction, audited per cadre. Cadres already nominated (or not nominated,
for a withdrawal) are skipped and counted; a withdrawal is refused, naming the cadre, once the
cadre is in the county's proposal or the term's matching is approved."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, insert, or_, select
from sqlalchemy.orm import Session

from zhucun.core import audit, present
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict, Invalid, NotFound
from zhucun.core.i18n import _l
from zhucun.core.present import Action
from zhucun.core.tx import conflict, lock, use_case
from zhucun.selection.cadres.models import Cadre

from .models import Assignment, MatchRun, Nomination
from .tags import Tag as MatchTag

Key = tuple[str, int]  # (county key, cadre id)
MAX_SELECTED = 500

# Should a nomination slip past the lock (a cadre deleted and made again), a 409, never a 500.
conflict("pk_selection_nominations", "cadres", _l("The cadre is already nominated for this term."))


class Tag(StrEnum):
    WITHDRAWN = "selection:nomination:withdrawn"


LABELS = present.actions(
    {
        Tag.WITHDRAWN: Action(
            _l("Nomination withdrawn"), _l("withdrew the nomination of {object} for the term"), clauses=False
        ),
    }
)


@dataclass(frozen=True)
class Outcome:
    done: int
    skipped: int


def _by_county(keys: list[Key]) -> dict[str, list[int]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for county, cadre_id in keys:
        groups[county].append(cadre_id)
    return groups


def _keyed(model: Any, id_column: str, keys: list[Key]) -> ColumnElement[bool]:
    """``(county_code, id) IN …`` written per county, so that each county's part stays on its shard."""
    column = getattr(model, id_column)
    return or_(*(and_(model.county_code == c, column.in_(ids)) for c, ids in _by_county(keys).items()))


def _cadres(session: Session, keys: list[Key]) -> list[Cadre]:
    """The selected cadres, through the scope: one unknown or out of reach refuses them all."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        raise Invalid(_l("Select at least one cadre."), field="cadres", code="none_selected")
    if len(keys) > MAX_SELECTED:
        raise Invalid(_l("Select at most {n} cadres at once."), field="cadres", code="too_many", n=MAX_SELECTED)
    found: dict[Key, Cadre] = {}
    for county, ids in _by_county(keys).items():
        # Locked, county by county (one shard each on Citus), before the nominations are read:
        # two clerks ticking the same cadre at once run one after the other, the second skips it.
        statement = select(Cadre).where(Cadre.county_code == county, Cadre.id.in_(ids))
        if session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update()
        found |= {(c.county_code, c.id): c for c in session.scalars(statement)}
    if len(found) < len(keys):
        raise NotFound(_l("No such cadre."), field="cadres")
    return [found[k] for k in keys]


def _nominated(session: Session, term: int, keys: list[Key]) -> set[Key]:
    rows = session.execute(
        select(Nomination.county_code, Nomination.cadre_id).where(
            Nomination.term == term, _keyed(Nomination, "cadre_id", keys)
        )
    )
    return {(county, cadre_id) for county, cadre_id in rows}


@use_case
def nominate_many(
    session: Session, *, actor: Principal, term: int, cadres: list[Key], note: str | None = None
) -> Outcome:
    """Nominate the selected cadres for the term; those already nominated are skipped."""
    chosen = _cadres(session, cadres)
    already = _nominated(session, term, [(c.county_code, c.id) for c in chosen])
    new = [c for c in chosen if (c.county_code, c.id) not in already]
    if new:
        session.execute(
            insert(Nomination),
            [
                {
                    "county_code": c.county_code,
                    "term": term,
                    "cadre_id": c.id,
                    "division_code": c.county_code + "000000",
                    "unit_id": c.unit_id,
                    "note": note,
                }
                for c in new
            ],
        )
    for c in new:
        audit.record(
            session,
            actor=actor.actor,
            action=MatchTag.NOMINATED,
            entity="cadre",
            entity_id=c.id,
            division=c.division_code,
            after={"term": term, "unit_id": c.unit_id, "note": note},
        )
    return Outcome(len(new), len(chosen) - len(new))


@use_case
def withdraw(session: Session, *, actor: Principal, term: int, cadres: list[Key]) -> Outcome:
    """Withdraw the selected cadres' nominations for the term; the not nominated are skipped."""
    chosen = _cadres(session, cadres)
    keys = [(c.county_code, c.id) for c in chosen]
    for county in sorted(_by_county(keys)):
        # Locked first, so that an approval running now waits for this withdrawal or refuses it.
        run = lock(session, MatchRun, county, term)
        if run is not None and run.status == "approved":
            raise Conflict(
                _l("The term's matching is approved: nominations can no longer be withdrawn."),
                field="cadres",
                code="approved",
            )
    proposed = session.execute(
        select(Assignment.county_code, Assignment.cadre_id).where(
            Assignment.term == term, _keyed(Assignment, "cadre_id", keys)
        )
    ).first()
    if proposed is not None:
        name = next(c.name for c in chosen if (c.county_code, c.id) == tuple(proposed))
        raise Conflict(
            _l("{name} is in the county's proposal: change the proposal first."),
            field="cadres",
            code="proposed",
            name=name,
        )
    nominated = _nominated(session, term, keys)
    gone = [c for c in chosen if (c.county_code, c.id) in nominated]
    if gone:
        session.execute(
            delete(Nomination).where(
                Nomination.term == term, _keyed(Nomination, "cadre_id", [(c.county_code, c.id) for c in gone])
            )
        )
    for c in gone:
        audit.record(
            session,
            actor=actor.actor,
            action=Tag.WITHDRAWN,
            entity="cadre",
            entity_id=c.id,
            division=c.division_code,
            before={"term": term},
        )
    return Outcome(len(gone), len(chosen) - len(gone))
