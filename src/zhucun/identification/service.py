"""Identification use cases: open a registration, monitoring or exit case for a household
(flagged when the household is kin of the village's officials), take actions with the
step's rules evaluated, and change the register when the county approves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from zhucun.core.audit import record
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict, Invalid
from zhucun.core.i18n import _l
from zhucun.core.scope import access_by
from zhucun.core.tx import use_case
from zhucun.procedures import refusals
from zhucun.procedures import service as procedures
from zhucun.procedures.definitions import Procedure
from zhucun.procedures.engine import PASS, Action
from zhucun.procedures.models import Case
from zhucun.registry import catalogues as cat
from zhucun.registry.kinship.present import GENDER_INDEX, STEP_LABELS
from zhucun.registry.kinship.queries import people, relative_households_of
from zhucun.registry.kinship.rules import Kin
from zhucun.registry.models import Household, HouseholdIncome
from zhucun.registry.officials.models import VillageOfficial

from . import favouritism, labels, rules
from .exits import checks as exit_checks
from .schemas import ActionIn, CaseIn

KIN_DEGREE = 2  # configurable default: degree of kinship to the village's officials checked
STATUS_CHANGED = "identification:household:status_changed"


def income_per_head(session: Session, household: Household) -> float | None:
    row = session.scalars(
        select(HouseholdIncome)
        .where(HouseholdIncome.county_code == household.county_code, HouseholdIncome.household_id == household.id)
        .order_by(HouseholdIncome.year.desc())
    ).first()
    if row is None:
        return None
    total = row.wage + row.production + row.property + row.transfer - row.production_costs
    return float(Decimal(total) / max(household.member_count or 1, 1))


def applicant(session: Session, household: Household) -> rules.Applicant:
    return rules.Applicant(income_per_head(session, household), household.housing_safe, household.water_safe)


def failed_rules(session: Session, case: Case, procedure: Procedure, on: date) -> tuple[str, ...]:
    """The named rules the household fails at the case's current step."""
    checks = procedure.step(case.step).checks
    if not checks or case.household_id is None:
        return ()
    household = access_by(session, Household, county_code=case.county_code, id=case.household_id)
    if "exit_income" in checks:
        # The exit page's named checks, so a case is refused on exactly what the page shows.
        return exit_checks.failed(session, household, on)
    return rules.failed_registration(applicant(session, household), rules.monitoring_line(on.year))


def related_path(session: Session, household: Household, since: date) -> str | None:
    """How the household is kin of an official of its village serving at any time since
    ``since`` (the favouritism report's window), in words with names
    ("王建国（村党组织书记）→ 兄弟 王建军"), or None."""
    officials = dict(
        session.execute(
            select(VillageOfficial.member_id, VillageOfficial.post)
            .where(
                VillageOfficial.county_code == household.county_code,
                VillageOfficial.village_code == household.village_code,
                favouritism.officials_serving_since(since),
            )
            # The latest post of one who held several in the window names the path.
            .order_by(VillageOfficial.term_start, VillageOfficial.id)
        ).all()
    )
    if not officials:
        return None
    found = relative_households_of(session, officials, KIN_DEGREE, county=household.county_code)
    for official, homes in sorted(found.items()):
        if household.id in homes:
            return _path_words(session, household.county_code, official, officials[official], homes[household.id])
    return None


def _path_words(session: Session, county: str, official: int, post: str, kin: Kin) -> str:
    named = people(session, {official, *(s.member_id for s in kin.path)}, county)
    genders = {member_id: row.gender for member_id, row in named.items()}
    start = named[official].name if official in named else "?"
    words = [f"{start}（{cat.OFFICIAL_POST.label(post)}）"]
    for step in kin.path:
        word = STEP_LABELS[step.step][GENDER_INDEX.get(genders.get(step.member_id) or "", 0)]
        person = named.get(step.member_id)
        words.append(f"{word} {person.name}" if person else str(word))
    return " → ".join(words)


@use_case
def open_case(
    session: Session, *, actor: Principal, data: CaseIn, on: date, official_years: int = favouritism.YEARS
) -> Case:
    """Open a case for a household of the actor's area (404 outside it); officials of the
    last ``official_years`` years count for the kinship check, as in the report."""
    household = access_by(session, Household, id=data.household_id)
    if data.kind == "monitoring" and data.category is None:
        raise Invalid(_l("Choose the monitoring category."), field="category", code="category_missing")
    running = session.scalar(
        select(Case.id).where(
            Case.county_code == household.county_code, Case.household_id == household.id, Case.status == "open"
        )
    )
    if running is not None:
        raise Conflict(
            _l("The household already has a case running (no. {id})."),
            field="household_id",
            code="case_running",
            id=running,
        )
    facts: dict[str, Any] = {
        "name": household.head_name,
        "size": household.member_count,
        "category": data.category,
        "grounds": data.grounds,
    }
    return procedures.open_case(
        session,
        actor=actor,
        kind=data.kind,
        village_code=household.village_code,
        household_id=household.id,
        facts=facts,
        on=on,
        related_path=related_path(session, household, favouritism.since_default(on, official_years)),
    )


def as_action(data: ActionIn, on: date, failed: tuple[str, ...] = ()) -> Action:
    return Action(
        data.action,
        on,
        reason=data.reason,
        body=data.body,
        failed=failed,
        review=data.review.model_dump(mode="json") if data.review else None,
    )


@use_case
def act(session: Session, *, actor: Principal, case: Case, data: ActionIn, on: date) -> Case:
    """Take an action on a case; a pass at a checked step evaluates the rules first."""
    failed: tuple[str, ...] = ()
    if data.action == PASS:
        failed = failed_rules(session, case, procedures.procedure_of(session, case), on)
        if failed:
            case.facts = {**(case.facts or {}), "failed_rules": list(failed)}
    return procedures.act(session, actor=actor, case=case, action=as_action(data, on, failed))


@use_case
def act_many(session: Session, *, actor: Principal, cases: list[Case], data: ActionIn, on: date) -> list[Case]:
    """One action on many cases, all or nothing."""
    return [act(session, actor=actor, case=case, data=data, on=on) for case in cases]


def change_status(session: Session, case: Case, actor: Principal, procedure: Procedure) -> None:
    """The county's approval changes the household's status in the register."""
    status = procedure.outcome_status
    if status == "category":
        status = (case.facts or {}).get("category")
    if not status or case.household_id is None:
        return
    before = session.scalar(
        select(Household.status).where(Household.county_code == case.county_code, Household.id == case.household_id)
    )
    values: dict[str, Any] = {"status": status}
    if case.kind == "registration":
        values["registered_year"] = case.decided_on.year if case.decided_on else None
    if case.kind == "exit":
        values["exited_year"] = case.decided_on.year if case.decided_on else None
    session.execute(
        update(Household)
        .where(Household.county_code == case.county_code, Household.id == case.household_id)
        .values(**values)
    )
    record(
        session,
        actor=actor.actor,
        action=STATUS_CHANGED,
        entity="household",
        entity_id=case.household_id,
        division=case.village_code,
        before={"status": before},
        after={"status": status},
        reason=f"case {case.id}",
    )


for _kind in ("registration", "monitoring", "exit"):
    procedures.OUTCOMES[_kind] = change_status
refusals.RULE_LABELS.update(labels.RULES)
