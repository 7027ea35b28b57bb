"""A helper leaves (a posting ends, a recall is carried out, a rotation, an official's term
ends): their open assignments end and their households go to other helpers with room, in
the caller's transaction — a step of the caller's use case, so it never commits.

Only the leaving helpers' households move; everyone else keeps what they carry, which
counts against their cap. The households are placed by the county rule (``rules.assign``):
the same village first — the work team, then the officials — then the township, then the
county. A household no helper has room for is left without an open assignment and named in
the answer; the coverage report shows it until the next assignment finds it a helper."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from sqlalchemy import insert, or_, select, update
from sqlalchemy.orm import Session

from zhucun.core import audit, present
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.present import Action
from zhucun.core.scope import ACROSS_AREAS
from zhucun.divisions.models import Division
from zhucun.registry.models import Household

from . import pool, rules
from .models import HelperAssignment

REASSIGNED = "reassigned"
LEFT_WITHOUT = "helper left; no helper with room"


class Tag(StrEnum):
    RELEASED = "selection:helper:released"


LABELS = present.actions(
    {
        Tag.RELEASED: Action(
            _l("Helper released"), _l("released the helper {object}, whose households were reassigned"), clauses=False
        ),
    }
)


def release(
    session: Session,
    *,
    actor: Any,
    county: str,
    cadres: Iterable[int] = (),
    officials: Iterable[int] = (),
    reason: str | None = None,
    on: date | None = None,
    cap: int = rules.DEFAULT_CAP,
) -> dict[str, Any]:
    """End the open assignments of the leaving cadres and officials and place their
    households with other helpers. Returns what happened: households moved, those left
    without (their ids), and per helper how many were theirs."""
    county = county[:6]
    leaving = [(pool.CADRE, int(c)) for c in cadres] + [(pool.OFFICIAL, int(o)) for o in officials]
    summary: dict[str, Any] = {"households": 0, "assigned": 0, "without": 0, "without_households": []}
    if not leaving:
        return summary
    # The county's row serialises this with a bulk assignment of the county (FOR UPDATE),
    # taken before the helper's households are read: an assignment that was running when
    # the posting ended has committed by then, and what it gave the helper is read too.
    _lock_county(session, county)
    a = HelperAssignment
    theirs = session.execute(
        select(a.id, a.household_id, a.cadre_id, a.official_id, a.account_id)
        .where(
            a.county_code == county,
            a.end_date.is_(None),
            or_(
                a.cadre_id.in_([i for k, i in leaving if k == pool.CADRE]),
                a.official_id.in_([i for k, i in leaving if k == pool.OFFICIAL]),
            ),
        )
        .execution_options(**ACROSS_AREAS)
    ).all()
    if not theirs:
        return summary
    today = on or date.today()
    placed, left = _place(session, county, [r.household_id for r in theirs], leaving, today, cap)
    why = {h: REASSIGNED if h in placed else LEFT_WITHOUT for h in (r.household_id for r in theirs)}
    session.execute(
        update(HelperAssignment).execution_options(**ACROSS_AREAS),
        [{"county_code": county, "id": r.id, "end_date": today, "end_reason": why[r.household_id]} for r in theirs],
    )
    _open(session, county, placed, today)
    summary.update(households=len(theirs), assigned=len(placed), without=len(left), without_households=sorted(left))
    _record(session, actor, county, theirs, why, reason)
    return summary


def _lock_county(session: Session, county: str) -> None:
    """The county's division row, locked across areas: a village committee ending an
    official's term does not see its county's row, yet waits for the county's assignment."""
    statement = select(Division.code).where(Division.code == county + "000000").execution_options(**ACROSS_AREAS)
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    session.execute(statement).all()


def _place(
    session: Session, county: str, households: list[int], leaving: list[tuple[str, int]], today: date, cap: int
) -> tuple[dict[int, tuple[pool.Helper, str]], list[int]]:
    """The rule over the leaving helpers' households alone, each other helper's cap reduced
    by what they already carry: {household: (helper, village)}, and those left without."""
    homes = session.execute(
        select(Household.id, Household.village_code, Household.status, Household.attribute)
        .where(Household.county_code == county, Household.id.in_(households))
        .order_by(Household.village_code, Household.id)
        .execution_options(**ACROSS_AREAS)
    ).all()
    helpers = pool.helpers(session, county, leaving=leaving, today=today)
    carried = pool.loads(session, county)
    gone = set(leaving)
    # What the leaving helpers carry is about to end: it does not count against anyone.
    room = [cap - carried.get((h.kind, h.id), 0) for h in helpers if (h.kind, h.id) not in gone]
    row_of = {int(h.id): i for i, h in enumerate(homes)}
    instance = rules.Instance(
        village=np.array([int(h.village_code) for h in homes], dtype=np.int64),
        weight=rules.weights(np.array([h.status for h in homes]), np.array([h.attribute for h in homes])),
        current=np.full(len(homes), rules.NONE, dtype=np.int64),
        helper_village=np.array([int(h.village) for h in helpers], dtype=np.int64),
        cap=np.maximum(np.array(room, dtype=np.int64), 0),
        helper_home=np.array([row_of.get(h.home, rules.NONE) if h.home else rules.NONE for h in helpers], np.int64),
    )
    chosen = rules.assign(instance)
    placed = {int(homes[i].id): (helpers[c], homes[i].village_code) for i, c in enumerate(chosen) if c >= 0}
    left = [int(homes[int(i)].id) for i in np.flatnonzero(chosen < 0)]
    return placed, left


def _open(session: Session, county: str, placed: dict[int, tuple[pool.Helper, str]], today: date) -> None:
    if not placed:
        return
    first = allocate(session, "helper_assignments", len(placed))
    rows = []
    for n, (household, (helper, village)) in enumerate(sorted(placed.items())):
        rows.append(
            {
                "county_code": county,
                "id": first + n,
                "household_id": household,
                "village_code": village,
                "cadre_id": helper.id if helper.kind == pool.CADRE else None,
                "official_id": helper.id if helper.kind == pool.OFFICIAL else None,
                "account_id": helper.id if helper.kind == pool.ACCOUNT else None,
                "start_date": today,
            }
        )
    session.execute(insert(HelperAssignment), rows)


def _record(session: Session, actor: Any, county: str, theirs: Any, why: dict[int, str], reason: str | None) -> None:
    """One entry per leaving helper: how many of their households moved, how many are left."""
    by_helper: dict[tuple[str, int], list[int]] = {}
    for r in theirs:
        by_helper.setdefault(pool.key_of(r.cadre_id, r.official_id, r.account_id), []).append(r.household_id)
    for (kind, ident), households in sorted(by_helper.items()):
        moved = sum(why[h] == REASSIGNED for h in households)
        audit.record(
            session,
            actor=getattr(actor, "actor", actor),
            action=Tag.RELEASED,
            entity=kind,
            entity_id=ident,
            division=county + "000000",
            after={"households": len(households), "reassigned": moved, "without": len(households) - moved},
            reason=reason,
        )
