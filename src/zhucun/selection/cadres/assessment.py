"""The dispatching unit's assessment of a cadre's five inner factors: recorded or changed
as a whole, with the day and the assessing account, in the cadre's history."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from zhucun.core.auth import Principal
from zhucun.core.db import utcnow
from zhucun.core.tx import relock, use_case
from zhucun.registry.history import diff, state
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.cadres.profile import FACTORS
from zhucun.selection.cadres.schemas import ProfileIn
from zhucun.selection.cadres.service import Tag, history

FIELDS = (*FACTORS, "assessed_on", "assessed_by")


@use_case
def assess_cadre(session: Session, *, actor: Principal, cadre: Cadre, data: ProfileIn) -> Cadre:
    """Record or change the unit's assessment of the cadre (a factor left out: not assessed)."""
    cadre = relock(session, cadre)
    before = state(cadre, FIELDS)
    levels = {factor: getattr(data, factor) for factor in FACTORS}
    if levels == {factor: before[factor] for factor in FACTORS} and data.assessed_on in (None, cadre.assessed_on):
        return cadre  # the same assessment sent again (a double click): nothing to record
    for factor, level in levels.items():
        setattr(cadre, factor, level)
    assessed = any(level is not None for level in levels.values())
    cadre.assessed_on = (data.assessed_on or date.today()) if assessed else None
    cadre.assessed_by = actor.user_id if assessed else None
    cadre.updated_at = utcnow()
    old, new = diff(before, state(cadre, FIELDS))
    if not new:
        return cadre
    history(session, actor, Tag.ASSESSED, cadre, old, new, data.reason)
    return cadre
