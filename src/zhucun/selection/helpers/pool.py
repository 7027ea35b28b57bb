"""Who can help in a county (the pool), and how much each helper already carries.

Read across areas: whoever acts (a unit's account ending its cadre's posting, a village
committee ending an official's term), the households and the helpers are the county's."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from zhucun.core.models import RoleGrant, User
from zhucun.core.permissions import Role
from zhucun.core.scope import ACROSS_AREAS
from zhucun.registry.catalogues import MONITORED_STATUSES
from zhucun.registry.models import Household, Member
from zhucun.registry.officials.models import VillageOfficial
from zhucun.selection.cadres.models import Cadre, CadrePosting

from . import rules
from .models import HelperAssignment

CADRE, OFFICIAL, ACCOUNT = "cadre", "official", "account"


class Helper(NamedTuple):
    kind: str
    id: int
    # Where the helper works: a village, a township (an account granted there) or the
    # county itself (a cadre of a unit, who travels from the county seat): the rule's
    # circles place households near it.
    village: str
    home: int | None  # an official's own household, which they never help


Leaving = Collection[tuple[str, int]]


def helpers(session: Session, county: str, *, leaving: Leaving = (), today: date | None = None) -> list[Helper]:
    """The county's helpers, in the order the rule deals them within a circle: the work
    teams first (posted cadres), then sitting village officials, helper accounts, and last
    the cadres of the dispatching units who are not posted."""
    today = today or date.today()
    gone = set(leaving)
    found = [*_posted(session, county), *_officials(session, county), *_accounts(session, county)]
    found += _paired(session, county, today)
    return [h for h in found if (h.kind, h.id) not in gone]


def _posted(session: Session, county: str) -> list[Helper]:
    rows = session.execute(
        select(CadrePosting.cadre_id, CadrePosting.village_code)
        .where(CadrePosting.county_code == county, CadrePosting.end_date.is_(None))
        .order_by(CadrePosting.village_code, CadrePosting.cadre_id)
        .execution_options(**ACROSS_AREAS)
    ).all()
    return [Helper(CADRE, int(c), v, None) for c, v in rows]


def _officials(session: Session, county: str) -> list[Helper]:
    """Sitting officials, who live in their village (distance 0). One person holding two
    posts (书记 and 主任 at once) is one helper with one cap."""
    rows = session.execute(
        select(func.min(VillageOfficial.id), VillageOfficial.village_code, Member.household_id)
        .join(Member, (Member.county_code == VillageOfficial.county_code) & (Member.id == VillageOfficial.member_id))
        .where(VillageOfficial.county_code == county, VillageOfficial.term_end.is_(None))
        .group_by(VillageOfficial.member_id, VillageOfficial.village_code, Member.household_id)
        .execution_options(**ACROSS_AREAS)
    ).all()
    return sorted(Helper(OFFICIAL, int(o), v, int(h)) for o, v, h in rows)


def _accounts(session: Session, county: str) -> list[Helper]:
    """Active accounts granted the helper role in a village or township of the county (a
    helper who is neither a cadre nor an official: a teacher, a doctor, a retired cadre)."""
    rows = session.execute(
        select(User.id, func.min(RoleGrant.division_code))
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(User.is_active, RoleGrant.role == Role.HELPER.value, RoleGrant.division_code.startswith(county))
        .group_by(User.id)
        .order_by(User.id)
    ).all()
    return [Helper(ACCOUNT, int(u), code, None) for u, code in rows if code and len(code) == 12]


def _paired(session: Session, county: str, today: date) -> list[Helper]:
    """结对帮扶: the cadres of the dispatching units registered in the county who were never
    posted. A county's cadre register holds the cadres of the units that send teams to it or
    are paired with it, so the register is the list of paired cadres; all of them help
    (domain.md: every poor household has a designated helper, and the paired units' cadres
    are the helpers beside the teams). A cadre whose posting ended has left — recalled,
    rotated out, moved — and their households were reassigned then, so they are not taken
    back in; nor is a cadre under a disciplinary sanction."""
    ever_posted = exists().where(CadrePosting.county_code == Cadre.county_code, CadrePosting.cadre_id == Cadre.id)
    rows = session.scalars(
        select(Cadre.id)
        .where(
            Cadre.county_code == county,
            ~ever_posted,
            or_(Cadre.discipline_until.is_(None), Cadre.discipline_until < today),
        )
        .order_by(Cadre.id)
        .execution_options(**ACROSS_AREAS)
    ).all()
    return [Helper(CADRE, int(c), county + "000000", None) for c in rows]


def weight_of() -> Any:
    """A household's weight in SQL, as ``rules.weights`` computes it."""
    from sqlalchemy import case

    priority = Household.status.in_(MONITORED_STATUSES) | (Household.attribute == rules.EXTREME_POVERTY)
    return case((priority, rules.PRIORITY_WEIGHT), else_=1)


def key_of(cadre_id: Any, official_id: Any, account_id: Any) -> tuple[str, int]:
    if cadre_id is not None:
        return (CADRE, int(cadre_id))
    if official_id is not None:
        return (OFFICIAL, int(official_id))
    return (ACCOUNT, int(account_id))


def loads(session: Session, county: str) -> dict[tuple[str, int], int]:
    """Each helper's load over their open assignments in the county, weighted as the rule
    weighs (one GROUP BY)."""
    a = HelperAssignment
    rows = session.execute(
        select(a.cadre_id, a.official_id, a.account_id, func.sum(weight_of()))
        .join(Household, (Household.county_code == a.county_code) & (Household.id == a.household_id))
        .where(a.county_code == county, a.end_date.is_(None))
        .group_by(a.cadre_id, a.official_id, a.account_id)
        .execution_options(**ACROSS_AREAS)
    ).all()
    return {key_of(c, o, u): int(load) for c, o, u, load in rows}
