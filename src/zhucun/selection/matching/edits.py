"""The organisation department's hand edits of a proposal: a cadre put in a village's post,
in place of another or in an empty one, refused with every rule it breaks named."""

from __future__ import annotations

from typing import Any

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from zhucun.core import audit
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict, Invalid
from zhucun.core.i18n import _l
from zhucun.core.scope import access, access_by
from zhucun.core.tx import lock, use_case

from . import loader, refusals
from .check import violations
from .models import Assignment, MarkedVillage, MatchRun
from .rules import reasons, unit_capacity
from .settings import NEED_CODES, RULES
from .solver import FS
from .tags import Tag


def assignment_row(loaded: loader.Loaded, term: int, vi: int, ci: int, role: str, value: float) -> dict[str, Any]:
    inst = loaded.instance
    village = str(inst.villages.code[vi])
    return {
        "county_code": village[:6],
        "term": term,
        "cadre_id": int(inst.cadres.id[ci]),
        "village_code": village,
        "role": role,
        "first_secretary_of": village if role == FS else None,
        "value": round(value, 2),
        "reasons": reasons(inst.villages, inst.cadres, vi, ci, inst.rules, NEED_CODES),
        "edited": False,
    }


def refusal(code: str, params: dict[str, Any]) -> Invalid:
    """A broken hard rule as the located 422 a reviewer reads."""
    known = code if code in RULES or code == "not_eligible" else "not_nominated"
    rule = refusals.label(known, params)
    return Invalid(_l("The change breaks a rule: {rule}."), field="cadre_id", code=code, rule=rule)


def _edit_faults(inst: Any, planned: list[tuple[int, int, str]], vi: int, ci: int) -> list[tuple[str, dict[str, Any]]]:
    """The rules the planned set breaks because of this edit: the cadre's own faults, a relative
    of theirs already in the team, and the village's posts over their number."""
    found = []
    for code, p in violations(inst, planned):
        mine = ci in (p.get("cadre"), p.get("relative"))
        here = code == "post_taken" and p.get("village") == vi
        if mine or here:
            found.append((code, p))
    return found


def _quota_faults(inst: Any, planned: list[tuple[int, int, str]], ci: int) -> list[tuple[str, dict[str, Any]]]:
    """The cadre's unit over its quota (its own for the term, else the setting) with this edit."""
    c = inst.cadres
    units = np.unique(c.unit)
    capacity = int(unit_capacity(c, units, inst.rules.unit_quota)[np.searchsorted(units, c.unit[ci])])
    used = sum(1 for _, k, _ in planned if c.unit[k] == c.unit[ci])
    return [("unit_quota", {"n": capacity})] if c.unit[ci] >= 0 and used > capacity else []


@use_case
def edit_assignment(
    session: Session, *, actor: Principal, code: str, term: int, role: str, cadre_id: int, replaces: int | None
) -> Assignment:
    """Put a cadre in a village's post — in place of another (``replaces``) or in an empty post
    (``replaces`` None) — refused with every rule it breaks named."""
    mark = access_by(session, MarkedVillage, term=term, village_code=code)
    run = lock(session, MatchRun, code[:6], term)
    if run is not None and run.status == "approved":
        raise Conflict(_l("The term's proposal is already approved."), field="cadre_id", code="approved")
    loaded = loader.load(session, code[:6].ljust(12, "0"), term)
    inst = loaded.instance
    index = {int(c): i for i, c in enumerate(inst.cadres.id)}
    villages = {str(v): i for i, v in enumerate(inst.villages.code)}
    if cadre_id not in index:
        raise refusal("not_nominated", {})
    current = list(
        session.scalars(select(Assignment).where(Assignment.term == term, Assignment.county_code == code[:6]))
    )
    if replaces is not None and not any(a.cadre_id == replaces and a.village_code == code for a in current):
        raise Invalid(_l("The cadre to replace is not in this village's team."), field="replaces", code="replaces")
    kept = [a for a in current if a.cadre_id not in (replaces, cadre_id)]
    planned = [(villages[a.village_code], index[a.cadre_id], a.role) for a in kept]
    vi, ci = villages[mark.village_code], index[cadre_id]
    planned.append((vi, ci, role))
    faults = _edit_faults(inst, planned, vi, ci) + _quota_faults(inst, planned, ci)
    if faults:
        raise refusals.edit_refusal(faults, inst.rules, loaded.faults[ci])
    session.execute(
        delete(Assignment).where(
            Assignment.term == term,
            Assignment.county_code == code[:6],
            Assignment.cadre_id.in_([cadre_id] + ([replaces] if replaces else [])),
        )
    )
    row = assignment_row(loaded, term, vi, ci, role, 0.0)
    value = inst.rules.fs_post_value if role == FS else inst.rules.member_post_value
    row.update(edited=True, value=round(value, 2))
    session.execute(insert(Assignment), [row])
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.EDITED,
        entity="village",
        entity_id=code,
        division=code,
        before={"replaces": replaces},
        after={"term": term, "cadre_id": cadre_id, "role": role},
    )
    return access(session, Assignment, (code[:6], term, cadre_id))
