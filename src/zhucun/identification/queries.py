"""Reads of cases and notices, always through the session's scope; lateness and the
statutory clock are derived here, at read time, from the deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l, gettext
from zhucun.core.pagination import keyset
from zhucun.divisions.models import Division
from zhucun.procedures import service as procedures
from zhucun.procedures.calendar import OK, add_days, lateness
from zhucun.procedures.definitions import Procedure
from zhucun.procedures.models import Case, Notice, ProcedureVersion
from zhucun.registry.models import Household

from .schemas import CaseOut, CasePage, NoticeOut


def _procedures(session: Session, ids: set[int]) -> dict[int, Procedure]:
    rows = session.execute(
        select(ProcedureVersion.id, ProcedureVersion.definition).where(ProcedureVersion.id.in_(ids))
    ).all()
    return {row.id: Procedure.from_data(row.definition) for row in rows}


def case_out(
    session: Session,
    case: Case,
    procedure: Procedure,
    today: date,
    names: dict[str, str] | None = None,
    heads: dict[int, str | None] | None = None,
) -> CaseOut:
    step = procedure.step(case.step)
    is_open = case.status == "open"
    due = add_days(case.step_entered_on, step.days, working=step.working_days) if step.days and is_open else None
    late = lateness(case.step_entered_on, step.days, today, working=step.working_days) if is_open else OK
    clock_due, clock = None, OK
    if procedure.clock_days:
        clock_due = add_days(case.opened_on, procedure.clock_days, working=procedure.clock_working)
        end = case.decided_on or today
        clock = lateness(case.opened_on, procedure.clock_days, end, working=procedure.clock_working)
    return CaseOut(
        id=case.id,
        kind=case.kind,
        village_code=case.village_code,
        village_name=(names or {}).get(case.village_code),
        household_id=case.household_id,
        head_name=(heads or {}).get(case.household_id or 0),
        step=case.step,
        step_label=gettext(step.label),
        status=case.status,
        round=case.round,
        opened_on=case.opened_on,
        step_entered_on=case.step_entered_on,
        notice_ends_on=case.notice_ends_on,
        due_on=due,
        lateness=late,
        clock_due_on=clock_due,
        clock=clock,
        related=case.related,
        related_path=case.related_path,
        escalated=case.escalated,
        signatures=[{"body": s.body, "account": s.account_name} for s in procedures.signatures_of(session, case)],
        failed_rules=list((case.facts or {}).get("failed_rules", [])),
    )


def one(session: Session, case: Case, today: date) -> CaseOut:
    return page_of(session, [case], today)[0]


def page_of(session: Session, cases: list[Case], today: date) -> list[CaseOut]:
    found = _procedures(session, {c.procedure_id for c in cases})
    codes = {c.village_code for c in cases}
    names = dict(session.execute(select(Division.code, Division.name).where(Division.code.in_(codes))).all())
    ids = [c.household_id for c in cases if c.household_id]
    heads = dict(session.execute(select(Household.id, Household.head_name).where(Household.id.in_(ids))).all())
    return [case_out(session, c, found[c.procedure_id], today, names, heads) for c in cases]


def cases(
    session: Session,
    *,
    today: date,
    village: str | None = None,
    step: str | None = None,
    kind: str | None = None,
    late: str | None = None,
    status: str | None = "open",
    cursor: str | None = None,
    limit: int = 50,
) -> CasePage:
    """A keyset page of cases, filtered; ``late`` (orange/red) is applied to the page read."""
    statement = select(Case)
    if village:
        statement = statement.where(
            Case.village_code.startswith(village) if len(village) < 12 else Case.village_code == village
        )
    if step:
        statement = statement.where(Case.step == step)
    if kind:
        statement = statement.where(Case.kind == kind)
    if status:
        statement = statement.where(Case.status == status)
    total = session.scalar(select(func.count()).select_from(statement.subquery()))
    rows, after = keyset(session, statement, [Case.id], cursor=cursor, limit=limit, key=lambda c: [c.id])
    items = page_of(session, rows, today)
    if late:
        items = [c for c in items if late in (c.lateness, c.clock)]
    return CasePage(items=items, total=total, next_cursor=after)


def notices_of(session: Session, village_code: str, today: date) -> list[NoticeOut]:
    """A village's notices, running first, then ended ones (newest first)."""
    rows = session.scalars(
        select(Notice).where(Notice.village_code == village_code).order_by(Notice.ends_on.desc(), Notice.id.desc())
    ).all()
    out = [
        NoticeOut(
            id=n.id,
            case_id=n.case_id,
            kind=n.kind,
            step=n.step,
            starts_on=n.starts_on,
            ends_on=n.ends_on,
            running=not n.interrupted and n.starts_on <= today < n.ends_on,
            interrupted=n.interrupted,
            facts={k: v for k, v in (n.public or {}).items() if k in PUBLIC_FACTS},
        )
        for n in rows
    ]
    return sorted(out, key=lambda n: not n.running)


# What a public notice may show: never ID, phone, bank or health details.
PUBLIC_FACTS = ("name", "size", "category", "grounds")


def household_counts(session: Session, **filters: Any) -> int:
    return session.scalar(select(func.count()).select_from(Household).filter_by(**filters))


def open_at(session: Session, village: str, step: str, *, kind: str | None, ids: list[int] | None) -> list[Case]:
    """The open cases of a village at a step; refused when none matches (nothing to do)."""
    statement = select(Case).where(Case.village_code == village, Case.step == step, Case.status == "open")
    if kind:
        statement = statement.where(Case.kind == kind)
    if ids is not None:
        statement = statement.where(Case.id.in_(ids))
    found = list(session.scalars(statement.order_by(Case.id)))
    if not found:
        raise Invalid(_l("No open case of this village is at that step."), field="step", code="no_case")
    return found
