"""Plans for tests: a household's plan with one measure, a village's project — found when
they exist, made through the use cases otherwise (as the system operator)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.auth import Principal
from zhucun.identification.plans import service
from zhucun.identification.plans.models import HouseholdPlan, PlanMeasure, VillageProject
from zhucun.identification.plans.schemas import MeasureIn, PlanIn, ProjectIn
from zhucun.registry.models import Household


def plan(session: Session, household_id: int) -> HouseholdPlan:
    household = session.scalars(select(Household).where(Household.id == household_id)).one()
    found = session.scalars(
        select(HouseholdPlan).where(
            HouseholdPlan.county_code == household.county_code, HouseholdPlan.household_id == household.id
        )
    ).first()
    if found is not None:
        return found
    return service.create_plan(
        session,
        actor=Principal.system(),
        county_code=household.county_code,
        household_id=household.id,
        data=PlanIn(goal="年人均纯收入稳定超过监测线"),
    )


def measure(session: Session, household_id: int, kind: str = "industry") -> PlanMeasure:
    owner = plan(session, household_id)
    found = session.scalars(
        select(PlanMeasure).where(PlanMeasure.county_code == owner.county_code, PlanMeasure.plan_id == owner.id)
    ).first()
    if found is not None:
        return found
    return service.add_measure(
        session,
        actor=Principal.system(),
        county_code=owner.county_code,
        plan_id=owner.id,
        data=MeasureIn(kind=kind, target="发展养殖：肉牛 3 头", deadline=date.today() + timedelta(days=60)),
        today=date.today(),
    )


def project(session: Session, village_code: str) -> VillageProject:
    found = session.scalars(
        select(VillageProject).where(
            VillageProject.county_code == village_code[:6], VillageProject.village_code == village_code
        )
    ).first()
    if found is not None:
        return found
    return service.add_project(
        session,
        actor=Principal.system(),
        village_code=village_code,
        data=ProjectIn(year=date.today().year, category="infrastructure", name="通组道路硬化", budget="350000"),
    )
