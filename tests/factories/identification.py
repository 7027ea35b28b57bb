"""Cases for tests: a registration case of a household, optionally moved to its first notice."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.auth import Principal
from zhucun.procedures import service as procedures
from zhucun.procedures.engine import CaseState, enter
from zhucun.procedures.models import Case, Notice
from zhucun.registry.models import Household


def case(session: Session, household_id: int, *, kind: str = "registration", on: date | None = None) -> Case:
    household = session.scalars(select(Household).where(Household.id == household_id)).one()
    existing = session.scalars(select(Case).where(Case.household_id == household_id, Case.status == "open")).first()
    if existing is not None:
        return existing
    return procedures.open_case(
        session,
        actor=Principal.system(),
        kind=kind,
        village_code=household.village_code,
        household_id=household.id,
        facts={"name": household.head_name, "size": household.member_count},
        on=on or date.today(),
    )


def at_notice(session: Session, household_id: int) -> Notice:
    """A case whose first public notice started today (moved there directly, for route tests)."""
    found = case(session, household_id)
    notice = session.scalars(select(Notice).where(Notice.case_id == found.id)).first()
    if notice is not None:
        return notice
    procedure = procedures.procedure_of(session, found)
    state = enter(procedure, CaseState(step=found.step, entered_on=date.today()), "notice1", date.today())
    found.step, found.step_entered_on, found.notice_ends_on = state.step, state.entered_on, state.notice_ends
    procedures._open_notice(session, found, procedure)
    session.flush()
    return session.scalars(select(Notice).where(Notice.case_id == found.id)).one()
