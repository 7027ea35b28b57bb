"""Loading the demo into an empty database: divisions, units, the generated registers
(households, members, incomes, benefits, officials and kin, work teams, their funds, insurance
and health checks), one account per role."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from zhucun.core.protect import Protector
from zhucun.core.tx import use_case

from ..accounts import service as accounts
from ..config import Settings
from ..core import audit, present
from ..core.auth import Principal
from ..core.i18n import _l
from ..core.models import User
from ..core.present import Action
from ..core.scope import get as scoped_get
from ..divisions.models import Division
from ..identification.monitoring import tallies
from ..registry.catalogues import MONITORED_STATUSES
from ..registry.models import Household
from ..selection.cadres.models import Cadre, CadrePosting
from ..selection.helpers import service as helpers
from ..selection.helpers.models import HelperAssignment
from . import county, guarantee
from .accounts import DEMO_PASSWORD, PERSONAS, UNITS
from .generator import DEFAULT_HOUSEHOLDS, Generation, Progress, generate
from .params import DEFAULTS, Parameters


class Tag(StrEnum):
    LOADED = "demo:county:loaded"


LABELS = present.actions(
    {
        Tag.LOADED: Action(
            _l("Demo data loaded"),
            _l("loaded the demo data: {divisions} divisions, {villages} villages"),
            clauses=False,
        )
    }
)


@dataclass(frozen=True)
class DemoSummary:
    divisions: int
    villages: int
    groups: int
    accounts: int
    generation: Generation

    @property
    def counties(self) -> int:
        return self.generation.counties


def is_loaded(session: Session) -> bool:
    return scoped_get(session, Division, county.COUNTY[0]) is not None


def has_divisions(session: Session) -> bool:
    return session.scalars(select(Division.code).limit(1)).first() is not None


@use_case
def load(
    session: Session,
    *,
    actor: Principal,
    settings: Settings,
    seed: int = 1,
    villages: int | None = None,
    households: int = DEFAULT_HOUSEHOLDS,
    params: Parameters = DEFAULTS,
    progress: Progress | None = None,
) -> DemoSummary:
    """Write the demo in one transaction (bulk writes throughout), then its accounts.

    ``villages`` None keeps the demo county's own layout (about 200 villages); more
    villages make more counties. ``households`` 0 loads divisions and accounts only, as the
    shared test world does.
    """
    generation = generate(
        session,
        protector=Protector.of(settings),
        seed=seed,
        villages=villages,
        households=households,
        params=params,
        demo_units=list(UNITS),
        progress=progress,
    )
    # Incentive and guarantee of the teams just written (funds, insurance, health checks).
    guaranteed = guarantee.write(session, seed=seed, today=date.today()) if households else {}
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.LOADED,
        entity="division_table",
        entity_id=county.COUNTY[0],
        division=county.COUNTY[0],
        after={
            "seed": seed,
            "counties": generation.counties,
            "divisions": generation.divisions,
            "villages": generation.villages,
            "groups": generation.groups,
            **generation.rows,
            **guaranteed,
        },
    )
    session.flush()
    if households:
        # Home pages count monitoring signals as the sweep stored them: a fresh demo has been
        # swept once, so they show numbers rather than "not swept yet".
        for county_code in session.scalars(select(Household.county_code).distinct()):
            tallies.store(session, county_code + "000000", date.today())
    key_village = generation.key_villages[0]
    _name_the_team(session, key_village)
    areas = {"country": None, "county": county.COUNTY[0], "township": key_village[:9] + "000", "village": key_village}
    unit_id = generation.demo_unit_ids[0]
    for persona in PERSONAS:
        accounts.create_user(
            session,
            actor=actor,
            settings=settings,
            username=persona.username,
            display_name=persona.display_name,
            password=DEMO_PASSWORD,
            division_code=areas[persona.area],
            must_change_password=False,
            check_password=False,
            grants=[
                accounts.GrantSpec(
                    persona.role.value, areas[persona.area], unit_id if persona.role.value == "unit" else None
                )
            ],
        )
    if households:
        # Every household in care has its helper from the start (the helper persona among them),
        # as the organisation department's "assign for the county" gives them.
        for county_code in session.scalars(select(Household.county_code).distinct()):
            helpers.assign_helpers(session, actor=actor, county=county_code + "000000")
        _give_the_helper_persona(session, key_village)
    return DemoSummary(generation.divisions, generation.villages, generation.groups, len(PERSONAS), generation)


# The personas of the key village's team carry these surnames ("张书记", "刘队员"): the team page
# of their village names the same people, so a visitor logged in as one of them finds themself.
TEAM_SURNAMES = {"1": "张", "3": "刘"}


def _name_the_team(session: Session, village: str) -> None:
    """Give the key village's first secretary and one team member the personas' surnames."""
    for role, surname in TEAM_SURNAMES.items():
        cadre = session.scalar(
            select(CadrePosting.cadre_id)
            .where(
                CadrePosting.county_code == village[:6],
                CadrePosting.village_code == village,
                CadrePosting.role == role,
                CadrePosting.end_date.is_(None),
            )
            .order_by(CadrePosting.cadre_id)
            .limit(1)
        )
        if cadre is not None:
            session.execute(
                update(Cadre)
                .where(Cadre.county_code == village[:6], Cadre.id == cadre)
                .values(name=surname + func.substr(Cadre.name, 2))
            )


HELPER_PERSONA_HOUSEHOLDS = 4


def _give_the_helper_persona(session: Session, village: str) -> None:
    """The rule deals a village's households to its team and its officials before a helper
    account; the demo hands a few of the key village's (weight 1: not monitored, not 特困) to
    the helper persona, so that ``bangfu`` has households of their own to call and to record."""
    account = session.scalar(select(User.id).where(User.username == "bangfu"))
    rows = session.scalars(
        select(HelperAssignment.id)
        .join(
            Household,
            (Household.county_code == HelperAssignment.county_code) & (Household.id == HelperAssignment.household_id),
        )
        .where(
            HelperAssignment.county_code == village[:6],
            HelperAssignment.village_code == village,
            HelperAssignment.end_date.is_(None),
            HelperAssignment.official_id.is_not(None),
            Household.status.not_in(MONITORED_STATUSES),
            Household.attribute != "3",
        )
        .order_by(HelperAssignment.id)
        .limit(HELPER_PERSONA_HOUSEHOLDS)
    ).all()
    if account is not None and rows:
        session.execute(
            update(HelperAssignment)
            .where(HelperAssignment.county_code == village[:6], HelperAssignment.id.in_(rows))
            .values(official_id=None, account_id=account)
        )
