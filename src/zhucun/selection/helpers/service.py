"""Helper use cases: assign a helper to every household in care across a county, in bulk,
and release a helper who leaves — their households reassigned in the same transaction, so
that no household is ever left without one."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from zhucun.core import audit, present
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict, Invalid
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.present import Action
from zhucun.core.scope import access_by
from zhucun.core.tx import lock, use_case
from zhucun.divisions.models import Division
from zhucun.divisions.queries import access_county
from zhucun.registry.models import Household, Member
from zhucun.registry.officials.models import VillageOfficial
from zhucun.selection.cadres.models import Cadre, CadrePosting

from . import rules
from .models import HelperAssignment

REASSIGNED = "reassigned"
OUT_OF_CARE = "household no longer in care"
CADRE, OFFICIAL = "cadre", "official"


class Tag(StrEnum):
    ASSIGNED = "selection:helper:assigned"
    RELEASED = "selection:helper:released"


LABELS = present.actions(
    {
        Tag.ASSIGNED: Action(
            _l("Helpers assigned"), _l("assigned helpers to the households of {object}"), clauses=False
        ),
        Tag.RELEASED: Action(
            _l("Helper released"), _l("released the helper {object}, whose households were reassigned"), clauses=False
        ),
    }
)


@use_case
def assign_helpers(session: Session, *, actor: Principal, county: str, cap: int = rules.DEFAULT_CAP) -> dict[str, Any]:
    """Give every household in care of the county one helper within the cap."""
    access_county(session, county)
    # The county's row serialises two assignments of one county (FOR UPDATE on PostgreSQL).
    lock(session, Division, county)
    summary = _reassign(session, county[:6], cap=cap, leaving=None, today=date.today())
    summary.pop("orphaned")
    audit.record(
        session, actor=actor.actor, action=Tag.ASSIGNED, entity="helper_assignments", division=county, after=summary
    )
    return summary


@use_case
def release_helper(
    session: Session, *, actor: Principal, county_code: str, cadre_id: int, reason: str, cap: int = rules.DEFAULT_CAP
) -> dict[str, Any]:
    """A helper leaves: their posting and assignments end, and every household they helped
    gets another helper in the same action — or nothing changes, if no one has room."""
    if not reason.strip():
        raise Invalid(_l("Say why the helper leaves."), field="reason", code="required")
    found = access_by(session, Cadre, county_code=county_code, id=cadre_id)
    cadre = lock(session, Cadre, found.county_code, found.id)
    assert cadre is not None
    lock(session, Division, cadre.county_code.ljust(12, "0"))
    today = date.today()
    county = cadre.county_code
    session.execute(
        update(CadrePosting)
        .where(CadrePosting.county_code == county, CadrePosting.cadre_id == cadre.id, CadrePosting.end_date.is_(None))
        .values(end_date=today, end_reason=reason[:200])
        .execution_options(synchronize_session=False)
    )
    summary = _reassign(session, county, cap=cap, leaving=cadre.id, today=today)
    orphaned = summary.pop("orphaned")
    if orphaned:
        raise Conflict(
            _l("No other helper has room for {count} households; add helpers or raise the cap first."),
            field="cadre_id",
            code="no_room",
            count=orphaned,
        )
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.RELEASED,
        entity="cadres",
        entity_id=cadre.id,
        division=cadre.division_code,
        after=summary,
        reason=reason,
    )
    return summary


def _pool(session: Session, county: str, leaving: int | None) -> list[tuple[str, int, str, int | None]]:
    """The county's helpers as (kind, id, village, own household id): cadres in post (of
    dispatching units and in the work teams), and sitting village officials — who live in
    their village, so that the village circle of the rule is theirs at distance 0, and who
    never help their own household. One person holding two posts (书记 and 主任 at once) is
    one helper with one cap."""
    cadres = session.execute(
        select(CadrePosting.cadre_id, CadrePosting.village_code).where(
            CadrePosting.county_code == county, CadrePosting.end_date.is_(None)
        )
    ).all()
    officials = session.execute(
        select(func.min(VillageOfficial.id), VillageOfficial.village_code, Member.household_id)
        .join(Member, (Member.county_code == VillageOfficial.county_code) & (Member.id == VillageOfficial.member_id))
        .where(VillageOfficial.county_code == county, VillageOfficial.term_end.is_(None))
        .group_by(VillageOfficial.member_id, VillageOfficial.village_code, Member.household_id)
    ).all()
    pool: list[tuple[str, int, str, int | None]] = [(CADRE, int(c), v, None) for c, v in cadres if c != leaving]
    return pool + sorted((OFFICIAL, int(o), v, int(h)) for o, v, h in officials)


def _reassign(session: Session, county: str, *, cap: int, leaving: int | None, today: date) -> dict[str, Any]:
    """Run the rule over the county and write what changed: set-based, one UPDATE and one
    INSERT for the county whatever its size."""
    homes = session.execute(
        select(Household.id, Household.village_code, Household.status, Household.attribute).where(
            Household.county_code == county, Household.status.in_(rules.IN_CARE_STATUSES)
        )
    ).all()
    pool = _pool(session, county, leaving)
    opened = session.execute(
        select(
            HelperAssignment.household_id,
            HelperAssignment.cadre_id,
            HelperAssignment.official_id,
            HelperAssignment.id,
        ).where(HelperAssignment.county_code == county, HelperAssignment.end_date.is_(None))
    ).all()
    current = {row.household_id: _key(row) for row in opened}
    assignment_of = {row.household_id: row.id for row in opened}
    position = {(kind, ident): i for i, (kind, ident, _, _) in enumerate(pool)}
    household_ids = np.array([h.id for h in homes], dtype=np.int64)
    row_of = {int(h): i for i, h in enumerate(household_ids)}
    keys = [current.get(int(h)) for h in household_ids]
    now = np.array([-1 if key is None else position.get(key, -1) for key in keys], dtype=np.int64)
    instance = rules.Instance(
        village=np.array([int(h.village_code) for h in homes], dtype=np.int64),
        weight=rules.weights(np.array([h.status for h in homes]), np.array([h.attribute for h in homes])),
        current=now,
        helper_village=np.array([int(v) for _, _, v, _ in pool], dtype=np.int64),
        cap=np.full(len(pool), cap, dtype=np.int64),
        helper_home=np.array(
            [rules.NONE if home is None else row_of.get(home, rules.NONE) for *_, home in pool], dtype=np.int64
        ),
    )
    chosen = rules.assign(instance)
    changed = (chosen >= 0) & (chosen != now)
    in_care = set(household_ids.tolist())
    # Close what ends: households moving to another helper, the leaving helper's (moved or
    # not: the caller refuses if any is left without), and households no longer in care.
    gone = (CADRE, leaving)
    ending = {int(h): REASSIGNED for h in household_ids[changed] if int(h) in assignment_of}
    ending.update({h: REASSIGNED for h, c in current.items() if leaving is not None and c == gone})
    ending.update({h: OUT_OF_CARE for h in current if h not in in_care})
    if ending:
        # ORM bulk UPDATE by primary key: one executemany for the county.
        session.execute(
            update(HelperAssignment),
            [
                {"county_code": county, "id": assignment_of[h], "end_date": today, "end_reason": why}
                for h, why in ending.items()
            ],
        )
    rows = _new_rows(session, county, homes, household_ids, pool, chosen, changed, today)
    if rows:
        session.execute(insert(HelperAssignment), rows)
    # The leaving helper's households that found no one else (refused by release_helper).
    left = household_ids[chosen < 0].tolist()
    orphaned = sum(1 for h in left if leaving is not None and current.get(h) == gone)
    return {
        "orphaned": orphaned,
        "households": len(homes),
        "assigned": len(rows),
        "kept": int(((chosen >= 0) & ~changed).sum()),
        "ended": len(ending),
        "without": int((chosen < 0).sum()),
        "helpers": len(pool),
    }


def _key(row: Any) -> tuple[str, int] | None:
    if row.cadre_id is not None:
        return (CADRE, int(row.cadre_id))
    if row.official_id is not None:
        return (OFFICIAL, int(row.official_id))
    return None  # an account helper: not in the pool, so the household is placed again


def _new_rows(session, county, homes, household_ids, pool, chosen, changed, today) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    picked = np.flatnonzero(changed)
    if not len(picked):
        return []
    first = allocate(session, "helper_assignments", len(picked))
    rows = []
    for n, i in enumerate(picked):
        kind, ident, _, _ = pool[chosen[i]]
        rows.append(
            {
                "county_code": county,
                "id": first + n,
                "household_id": int(household_ids[i]),
                "village_code": homes[i].village_code,
                "cadre_id": ident if kind == CADRE else None,
                "official_id": ident if kind == OFFICIAL else None,
                "start_date": today,
            }
        )
    return rows
