"""Use cases of causes and plans: a household's causes, its plan (一户一策), the plan's
measures and their progress, and the projects of a village's development plan. Each is
one transaction, audited; a helper edits only the plans of households in their care."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core import audit, present
from zhucun.core.auth import Principal
from zhucun.core.errors import Forbidden, Invalid
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.permissions import Role, role_has
from zhucun.core.present import Action
from zhucun.core.scope import access, access_by
from zhucun.core.tx import lock, use_case
from zhucun.divisions.models import Division
from zhucun.registry import catalogues as cat
from zhucun.registry.models import Household
from zhucun.selection.helpers.models import HelperAssignment

from . import rules
from .models import HouseholdPlan, MeasureKind, PlanMeasure, PlanProgress, VillageProject
from .schemas import CausesIn, MeasureIn, PlanIn, ProgressIn, ProjectChangeIn, ProjectIn

PLAN_WRITE = "identification:plan:write"


class Tag(StrEnum):
    CAUSES_SET = "identification:causes:set"
    PLAN_CREATED = "identification:plan:created"
    MEASURE_ADDED = "identification:measure:added"
    PROGRESS_RECORDED = "identification:measure:progressed"
    PROJECT_ADDED = "identification:project:added"
    PROJECT_CHANGED = "identification:project:changed"
    KIND_CONFIGURED = "identification:measurekind:configured"


LABELS = present.actions(
    {
        Tag.CAUSES_SET: Action(_l("Causes of poverty set"), _l("set the causes of poverty of {object}")),
        Tag.PLAN_CREATED: Action(_l("Household plan created"), _l("drew up the plan of {object}"), clauses=False),
        Tag.MEASURE_ADDED: Action(_l("Plan measure added"), _l("added a measure to {object}"), clauses=False),
        Tag.PROGRESS_RECORDED: Action(
            _l("Measure progress recorded"), _l("recorded progress on a measure of {object}"), clauses=False
        ),
        Tag.PROJECT_ADDED: Action(
            _l("Village project added"), _l("added the project {object} to the village plan"), clauses=False
        ),
        Tag.PROJECT_CHANGED: Action(_l("Village project changed"), _l("changed the project {object}")),
        Tag.KIND_CONFIGURED: Action(_l("Measure kind configured"), _l("configured the measure kind {object}")),
    }
)


# What each audited object is called in the trail, its key, and the division it belongs to.
AUDITED: dict[type, tuple[str, str, str | None]] = {
    Household: ("households", "id", "village_code"),
    VillageProject: ("village_projects", "id", "village_code"),
    MeasureKind: ("plan_measure_kinds", "code", None),
}


def _record(
    session: Session, actor: Principal, tag: Tag, target: Any, *, division: str | None = None, **change: Any
) -> None:
    """The audit entry of a change to ``target`` (``change``: before, after, reason), filed
    under its own division unless ``division`` says otherwise (a measure: its plan's village)."""
    entity, key, place = AUDITED[type(target)]
    audit.record(
        session,
        actor=actor.actor,
        action=tag,
        entity=entity,
        entity_id=getattr(target, key),
        division=division or (getattr(target, place) if place else None),
        **change,
    )


def _require_carer(session: Session, actor: Principal, household: Household) -> None:
    """A helper who holds no other role that edits plans edits only the plans of the
    households assigned to their account (the team and the village edit any in scope)."""
    if any(g.role != Role.HELPER and role_has(g.role, PLAN_WRITE) for g in actor.grants):
        return
    helps = session.scalar(
        select(HelperAssignment.id).where(
            HelperAssignment.county_code == household.county_code,
            HelperAssignment.household_id == household.id,
            HelperAssignment.account_id == actor.user_id,
            HelperAssignment.end_date.is_(None),
        )
    )
    if helps is None:
        raise Forbidden(_l("Only the household's helper may edit its plan."), field="household_id")


def _household(session: Session, actor: Principal, county_code: str, household_id: int) -> Household:
    found = access_by(session, Household, county_code=county_code, id=household_id)
    _require_carer(session, actor, found)
    household = lock(session, Household, found.county_code, found.id)
    assert household is not None
    return household


@use_case
def set_causes(session: Session, *, actor: Principal, county_code: str, household_id: int, data: CausesIn) -> Household:
    """Set a household's main cause of poverty and its other causes."""
    household = _household(session, actor, county_code, household_id)
    parsed = rules.causes(data.main_cause, data.other_causes, cat.POVERTY_CAUSE.items)
    if isinstance(parsed, str):
        raise Invalid(_l("Choose causes from the list, the main cause only once."), field=parsed, code="cause")
    before = {"main_cause": household.main_cause, "other_causes": household.other_causes}
    household.main_cause, household.other_causes = parsed.main, parsed.stored_others()
    after = {"main_cause": household.main_cause, "other_causes": household.other_causes}
    _record(session, actor, Tag.CAUSES_SET, household, before=before, after=after, reason=data.reason)
    return household


@use_case
def create_plan(
    session: Session, *, actor: Principal, county_code: str, household_id: int, data: PlanIn
) -> HouseholdPlan:
    """Draw up the household's plan (one per household: a second answers 409)."""
    household = _household(session, actor, county_code, household_id)
    plan = HouseholdPlan(
        county_code=household.county_code,
        id=allocate(session, "household_plans"),
        household_id=household.id,
        village_code=household.village_code,
        goal=data.goal.strip(),
    )
    session.add(plan)
    session.flush()
    _record(session, actor, Tag.PLAN_CREATED, household, after={"plan_id": plan.id, "goal": plan.goal})
    return plan


def _plan(session: Session, actor: Principal, county_code: str, plan_id: int) -> tuple[HouseholdPlan, Household]:
    plan = access_by(session, HouseholdPlan, county_code=county_code, id=plan_id)
    household = _household(session, actor, plan.county_code, plan.household_id)
    return plan, household


@use_case
def add_measure(
    session: Session, *, actor: Principal, county_code: str, plan_id: int, data: MeasureIn, today: date
) -> PlanMeasure:
    """Add a measure from the catalogue, with its target and deadline."""
    plan, household = _plan(session, actor, county_code, plan_id)
    kind = session.get(MeasureKind, data.kind)
    if kind is None or not kind.active:
        raise Invalid(_l("Choose a measure from the catalogue."), field="kind", code="unknown_kind")
    problem = rules.deadline_problem(data.deadline, today)
    if problem == "past":
        raise Invalid(_l("The deadline has passed already."), field="deadline", code="deadline_past")
    if problem == "too_far":
        raise Invalid(
            _l("A deadline at most {years} years ahead."),
            field="deadline",
            code="deadline_far",
            years=rules.MAX_YEARS_AHEAD,
        )
    measure = PlanMeasure(
        county_code=plan.county_code,
        id=allocate(session, "plan_measures"),
        plan_id=plan.id,
        village_code=plan.village_code,
        kind=kind.code,
        target=data.target.strip(),
        amount=data.amount,
        deadline=data.deadline,
        status="planned",
        progress=0,
    )
    session.add(measure)
    session.flush()
    after = {"measure_id": measure.id, "kind": kind.code, "target": measure.target, "deadline": str(data.deadline)}
    _record(session, actor, Tag.MEASURE_ADDED, household, division=plan.village_code, after=after)
    return measure


@use_case
def record_progress(
    session: Session,
    *,
    actor: Principal,
    county_code: str,
    plan_id: int,
    measure_id: int,
    data: ProgressIn,
    today: date,
) -> PlanMeasure:
    """Record how far a measure has come; completing it needs its result."""
    plan, household = _plan(session, actor, county_code, plan_id)
    found = access_by(session, PlanMeasure, county_code=plan.county_code, id=measure_id)
    if found.plan_id != plan.id:
        raise Invalid(_l("The measure belongs to another plan."), field="measure_id", code="other_plan")
    measure = lock(session, PlanMeasure, found.county_code, found.id)
    assert measure is not None
    if measure.status in ("done", "dropped"):
        raise Invalid(_l("The measure is closed already."), field="measure_id", code="closed")
    if data.completed and not (data.result or "").strip():
        raise Invalid(_l("Say what the measure achieved."), field="result", code="result_missing")
    before = {"status": measure.status, "progress": measure.progress}
    measure.progress = 100 if data.completed else data.percent
    measure.status = rules.status_after(measure.progress, data.completed)
    if data.completed:
        measure.result, measure.completed_on = (data.result or "").strip(), today
    session.add(
        PlanProgress(
            county_code=plan.county_code,
            id=allocate(session, "plan_progress"),
            measure_id=measure.id,
            village_code=plan.village_code,
            entry_date=today,
            percent=measure.progress,
            note=data.note.strip(),
            account_id=actor.user_id,
        )
    )
    session.flush()
    after = {"measure_id": measure.id, "status": measure.status, "progress": measure.progress, "note": data.note}
    _record(session, actor, Tag.PROGRESS_RECORDED, household, division=plan.village_code, before=before, after=after)
    return measure


@use_case
def add_project(session: Session, *, actor: Principal, village_code: str, data: ProjectIn) -> VillageProject:
    """Add a project to the village's development plan."""
    village = access(session, Division, village_code)
    if village.level != "village":
        raise Invalid(_l("Projects belong to a village."), field="village_code", code="not_a_village")
    project = VillageProject(
        county_code=village.code[:6],
        id=allocate(session, "village_projects"),
        village_code=village.code,
        year=data.year,
        category=data.category,
        name=data.name.strip(),
        budget=data.budget,
        status="planned",
        note=data.note,
    )
    session.add(project)
    session.flush()
    _record(session, actor, Tag.PROJECT_ADDED, project, after=_project_state(project))
    return project


@use_case
def change_project(
    session: Session, *, actor: Principal, county_code: str, project_id: int, data: ProjectChangeIn
) -> VillageProject:
    """Change a project's status or budget, saying why."""
    found = access_by(session, VillageProject, county_code=county_code, id=project_id)
    project = lock(session, VillageProject, found.county_code, found.id)
    assert project is not None
    if data.status is None and data.budget is None:
        raise Invalid(_l("Change the status or the budget."), field="status", code="nothing")
    before = _project_state(project)
    if data.status is not None:
        project.status = data.status
    if data.budget is not None:
        project.budget = data.budget
    session.flush()
    after = _project_state(project)
    _record(session, actor, Tag.PROJECT_CHANGED, project, before=before, after=after, reason=data.reason)
    return project


def _project_state(project: VillageProject) -> dict[str, Any]:
    return {
        "name": project.name,
        "year": project.year,
        "category": project.category,
        "budget": str(project.budget),
        "status": project.status,
    }


@use_case
def configure_kind(
    session: Session, *, actor: Principal, code: str, label_zh: str, label_en: str, causes: str, active: bool
) -> MeasureKind:
    """Add a kind of measure to the catalogue, or relabel or retire one."""
    if not code or len(code) > 16 or not code.replace("_", "").isalnum() or not code.isascii():
        raise Invalid(_l("A code of at most 16 letters, digits or _."), field="code", code="kind_code")
    codes = [c for c in causes.split(",") if c]
    if any(c not in cat.POVERTY_CAUSE.items for c in codes):
        raise Invalid(_l("Choose causes from the list, the main cause only once."), field="causes", code="cause")
    if not label_zh.strip() or not label_en.strip():
        raise Invalid(_l("Give the kind a Chinese and an English label."), field="label", code="label")
    kind = session.get(MeasureKind, code)
    before = None if kind is None else {"label_zh": kind.label_zh, "causes": kind.causes, "active": kind.active}
    if kind is None:
        kind = MeasureKind(code=code)
        session.add(kind)
    kind.label_zh, kind.label_en, kind.causes, kind.active = label_zh.strip(), label_en.strip(), ",".join(codes), active
    session.flush()
    after = {"label_zh": kind.label_zh, "causes": kind.causes, "active": kind.active}
    _record(session, actor, Tag.KIND_CONFIGURED, kind, before=before, after=after)
    return kind
