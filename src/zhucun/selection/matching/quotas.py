"""A unit's own quota of cadres sent for a term, in a county (the province's ``unit_quota``
setting holds for a unit without one)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhucun.accounts.units.models import Unit
from zhucun.core import audit
from zhucun.core.auth import Principal
from zhucun.core.scope import access
from zhucun.core.tx import lock, use_case
from zhucun.divisions.queries import access_county

from .models import UnitQuota
from .tags import Tag


@use_case
def set_quota(session: Session, *, actor: Principal, county: str, term: int, unit_id: int, quota: int) -> UnitQuota:
    """How many of the unit's cadres in the county the term may send (its own quota)."""
    access_county(session, county)
    unit = access(session, Unit, unit_id)
    row = lock(session, UnitQuota, county[:6], term, unit_id)
    before = None if row is None else {"quota": row.quota}
    if row is None:
        row = UnitQuota(county_code=county[:6], term=term, unit_id=unit_id, division_code=county[:6] + "000000")
        session.add(row)
    row.quota = quota
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.QUOTA_SET,
        entity="unit",
        entity_id=unit.id,
        division=county,
        before=before,
        after={"term": term, "county": county, "quota": quota},
    )
    return row
