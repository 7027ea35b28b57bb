"""Helper use cases: assign a helper to every household in care across a county, in bulk,
and release a helper who leaves — their households reassigned in the same transaction, so
that no household is ever left without one."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from zhucun.core import audit, present
from zhucun.core.auth import Principal
from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.present import Action
from zhucun.core.scope import access_by
from zhucun.core.tx import lock, use_case
from zhucun.divisions.models import Division
from zhucun.divisions.queries import access_county
from zhucun.registry.models import Household
from zhucun.selection.cadres.models import Cadre, CadrePosting

from . import leaving, pool, rules
from .leaving import REASSIGNED
from .models import HelperAssignment

OUT_OF_CARE = "household no longer in care"


class Tag(StrEnum):
    ASSIGNED = "selection:helper:assigned"
    RELEASED = leaving.Tag.RELEASED.value


LABELS = present.actions(
    {
        Tag.ASSIGNED: Action(
            _l("Helpers assigned"), _l("assigned helpers to the households of {object}"), clauses=False
        ),
    }
)


@use_case
def assign_helpers(session: Session, *, actor: Principal, county: str, cap: int = rules.DEFAULT_CAP) -> dict[str, Any]:
    """Give every household in care of the county one helper within the cap."""
    access_county(session, county)
    # The county's row serialises two assignments of one county (FOR UPDATE on PostgreSQL).
    lock(session, Division, county)
    summary = _reassign(session, county[:6], cap=cap, today=date.today())
    audit.record(
        session, actor=actor.actor, action=Tag.ASSIGNED, entity="helper_assignments", division=county, after=summary
    )
    return summary


@use_case
def release_helper(
    session: Session, *, actor: Principal, county_code: str, cadre_id: int, reason: str, cap: int = rules.DEFAULT_CAP
) -> dict[str, Any]:
    """A helper leaves: their posting and assignments end, and every household they helped
    gets another helper in the same action; those no one has room for are named in the
    answer (and shown by the coverage report)."""
    if not reason.strip():
        raise Invalid(_l("Say why the helper leaves."), field="reason", code="required")
    found = access_by(session, Cadre, county_code=county_code, id=cadre_id)
    cadre = lock(session, Cadre, found.county_code, found.id)
    assert cadre is not None
    today = date.today()
    county = cadre.county_code
    session.execute(
        update(CadrePosting)
        .where(CadrePosting.county_code == county, CadrePosting.cadre_id == cadre.id, CadrePosting.end_date.is_(None))
        .values(end_date=today, end_reason=reason[:200])
        .execution_options(synchronize_session=False)
    )
    summary = leaving.release(session, actor=actor, county=county, cadres=[cadre.id], reason=reason, on=today, cap=cap)
    if not summary["households"]:
        # No household to move, so no entry was written for them: the posting's end is one.
        audit.record(
            session,
            actor=actor.actor,
            action=Tag.RELEASED,
            entity=pool.CADRE,
            entity_id=cadre.id,
            division=cadre.division_code,
            after=summary,
            reason=reason,
        )
    return summary


def _reassign(session: Session, county: str, *, cap: int, today: date) -> dict[str, Any]:
    """Run the rule over the county and write what changed: set-based, one UPDATE and one
    INSERT for the county whatever its size."""
    homes = session.execute(
        select(Household.id, Household.village_code, Household.status, Household.attribute).where(
            Household.county_code == county, Household.status.in_(rules.IN_CARE_STATUSES)
        )
    ).all()
    helpers = pool.helpers(session, county, today=today)
    a = HelperAssignment
    opened = session.execute(
        select(a.household_id, a.cadre_id, a.official_id, a.account_id, a.id).where(
            a.county_code == county, a.end_date.is_(None)
        )
    ).all()
    current = {row.household_id: pool.key_of(row.cadre_id, row.official_id, row.account_id) for row in opened}
    assignment_of = {row.household_id: row.id for row in opened}
    position = {(h.kind, h.id): i for i, h in enumerate(helpers)}
    household_ids = np.array([h.id for h in homes], dtype=np.int64)
    row_of = {int(h): i for i, h in enumerate(household_ids)}
    now = np.array([position.get(current.get(int(h), ("", 0)), -1) for h in household_ids], dtype=np.int64)
    weight = rules.weights(np.array([h.status for h in homes]), np.array([h.attribute for h in homes]))
    instance = rules.Instance(
        village=np.array([int(h.village_code) for h in homes], dtype=np.int64),
        weight=weight,
        current=now,
        helper_village=np.array([int(h.village) for h in helpers], dtype=np.int64),
        cap=np.full(len(helpers), cap, dtype=np.int64),
        helper_home=np.array(
            [rules.NONE if h.home is None else row_of.get(h.home, rules.NONE) for h in helpers], dtype=np.int64
        ),
    )
    chosen = rules.assign(instance)
    changed = (chosen >= 0) & (chosen != now)
    in_care = set(household_ids.tolist())
    # Close what ends: households moving to another helper, and households no longer in care.
    ending = {int(h): REASSIGNED for h in household_ids[changed] if int(h) in assignment_of}
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
    rows = _new_rows(session, county, homes, household_ids, helpers, chosen, changed, today)
    if rows:
        session.execute(insert(HelperAssignment), rows)
    without = chosen < 0
    return {
        "households": len(homes),
        "assigned": len(rows),
        "kept": int(((chosen >= 0) & ~changed).sum()),
        "ended": len(ending),
        "without": int(without.sum()),
        "helpers": len(helpers),
        # Why some are left without: the rule is maximal, so no helper has room for them —
        # what the county's helpers can carry against what its households weigh.
        "capacity": cap * len(helpers),
        "weight": int(weight.sum()),
        "cap": cap,
        "without_villages": _without_villages(homes, without),
    }


def _without_villages(homes: Any, without: np.ndarray) -> list[tuple[str, int]]:
    """The villages with households left without a helper, and how many, most first."""
    codes, counts = np.unique(np.array([h.village_code for h in homes], dtype="<U12")[without], return_counts=True)
    order = np.lexsort((codes, -counts))
    return [(str(codes[i]), int(counts[i])) for i in order]


def _new_rows(
    session: Session,
    county: str,
    homes: Any,
    household_ids: np.ndarray,
    helpers: list[pool.Helper],
    chosen: np.ndarray,
    changed: np.ndarray,
    today: date,
) -> list[dict[str, Any]]:
    picked = np.flatnonzero(changed)
    if not len(picked):
        return []
    first = allocate(session, "helper_assignments", len(picked))
    rows = []
    for n, i in enumerate(picked):
        helper = helpers[chosen[i]]
        rows.append(
            {
                "county_code": county,
                "id": first + n,
                "household_id": int(household_ids[i]),
                "village_code": homes[i].village_code,
                "cadre_id": helper.id if helper.kind == pool.CADRE else None,
                "official_id": helper.id if helper.kind == pool.OFFICIAL else None,
                "account_id": helper.id if helper.kind == pool.ACCOUNT else None,
                "start_date": today,
            }
        )
    return rows
