"""Loading the demo county into an empty database: divisions, units, one account per role."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from ..accounts import service as accounts
from ..config import Settings
from ..core import audit
from ..core.auth import Principal
from ..core.scope import get as scoped_get
from ..divisions.models import Division, VillageGroup
from ..registry.models import Unit, UnitPairing
from . import county
from .accounts import DEMO_PASSWORD, PERSONAS, UNITS


@dataclass(frozen=True)
class DemoSummary:
    divisions: int
    villages: int
    groups: int
    accounts: int


def is_loaded(session: Session) -> bool:
    return scoped_get(session, Division, county.COUNTY[0]) is not None


def has_divisions(session: Session) -> bool:
    return session.scalars(select(Division.code).limit(1)).first() is not None


def load(session: Session, *, actor: Principal, settings: Settings, seed: int = 1) -> DemoSummary:
    """Write the demo county in one transaction (bulk inserts), then its accounts."""
    rows, groups = county.generate(seed)
    defaults = {flag: False for flag in ("is_poor_village", "is_exited", "is_key_village", "is_weak_branch",
                                         "is_relocation_site", "is_ethnic_area", "is_western")}
    existing = set(session.scalars(select(Division.code).where(Division.code.in_([r["code"] for r in rows[:2]]))))
    session.execute(insert(Division), [{**defaults, **r} for r in rows if r["code"] not in existing])
    session.execute(insert(VillageGroup), groups)
    unit_ids = [session.scalar(insert(Unit).values(**u, division_code=county.COUNTY[0]).returning(Unit.id))
                for u in UNITS]
    session.execute(insert(UnitPairing), [{"unit_id": uid, "division_code": county.COUNTY[0]} for uid in unit_ids])
    villages = [r for r in rows if r["level"] == "village"]
    audit.record(session, actor=actor.actor, action="demo:county:loaded", entity="division_table",
                 entity_id=county.COUNTY[0], division=county.COUNTY[0],
                 after={"seed": seed, "divisions": len(rows), "villages": len(villages), "groups": len(groups)})
    session.flush()
    key_village = next(r for r in villages if r["is_key_village"])
    township = key_village["parent_code"]
    areas = {"country": None, "county": county.COUNTY[0], "township": township, "village": key_village["code"]}
    for persona in PERSONAS:
        accounts.create_user(
            session, actor=actor, settings=settings, username=persona.username, display_name=persona.display_name,
            password=DEMO_PASSWORD, division_code=areas[persona.area], must_change_password=False,
            grants=[accounts.GrantSpec(persona.role.value, areas[persona.area],
                                       unit_ids[0] if persona.role.value == "unit" else None)])
    session.commit()
    return DemoSummary(len(rows), len(villages), len(groups), len(PERSONAS))
