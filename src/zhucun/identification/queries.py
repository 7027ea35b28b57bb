"""Reads of cases and notices, always through the session's scope; lateness and the
statutory clock are derived here, at read time, from the deadlines."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l, gettext
from zhucun.core.pagination import keyset
from zhucun.core.scope import access
from zhucun.divisions.models import Division
from zhucun.procedures import service as procedures
from zhucun.procedures.calendar import OK, RED, add_days, bounds, lateness
from zhucun.procedures.definitions import Procedure
from zhucun.procedures.models import Case, Notice, Objection, ProcedureVersion
from zhucun.registry.models import Household

from .schemas import CaseOut, CasePage, NoticeOut


def _procedures(session: Session, ids: set[int] | None) -> dict[int, Procedure]:
    statement = select(ProcedureVersion.id, ProcedureVersion.definition)
    if ids is not None:
        statement = statement.where(ProcedureVersion.id.in_(ids))
    rows = session.execute(statement).all()
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
        county_code=case.county_code,
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
        escalated_to=case.escalated_to,
        escalated_on=case.escalated_on,
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


# A notice "ends soon" within this many calendar days (a configurable default).
NOTICE_ENDING_DAYS = 2


def case_filters(
    session: Session,
    *,
    today: date,
    village: str | None = None,
    step: str | None = None,
    kind: str | None = None,
    late: str | None = None,
    status: str | None = "open",
    notice: str | None = None,
    objected: bool = False,
    escalated: str | None = None,
) -> Select[Case]:
    """The cases a list shows, filtered in SQL (lateness too, so totals and exports agree)."""
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
    if late:
        statement = statement.where(late_clause(session, late, today))
    if notice == "ending":
        soon = add_days(today, NOTICE_ENDING_DAYS, working=False)
        statement = statement.where(Case.notice_ends_on >= today, Case.notice_ends_on <= soon)
    if escalated:
        statement = statement.where(Case.escalated_to == escalated)
    if objected:
        statement = statement.where(
            select(Objection.id).where(Objection.county_code == Case.county_code, Objection.case_id == Case.id).exists()
        )
    return statement


def late_clause(session: Session, late: str, today: date) -> ColumnElement[bool]:
    """Open cases whose step deadline or statutory clock is ``late`` (orange or red) today.

    Lateness is derived, not stored: for each procedure version and step (a handful) the
    start dates that make a case orange or red are computed once, and compared in SQL."""
    red = late == RED
    terms: list[ColumnElement[bool]] = []
    for procedure_id, procedure in _procedures(session, None).items():
        for step in procedure.steps:
            if step.days is not None:
                orange_before, red_before = bounds(step.days, today, working=step.working_days)
                on_step = (Case.procedure_id == procedure_id) & (Case.step == step.key)
                terms.append(on_step & _between(Case.step_entered_on, orange_before, red_before, red))
        if procedure.clock_days:
            orange_before, red_before = bounds(procedure.clock_days, today, working=procedure.clock_working)
            terms.append((Case.procedure_id == procedure_id) & _between(Case.opened_on, orange_before, red_before, red))
    return and_(Case.status == "open", or_(false(), *terms))


def _between(column: QueryableAttribute[date], orange_before: date, red_before: date, red: bool) -> ColumnElement[bool]:
    if red:
        return column < red_before
    return (column < orange_before) & (column >= red_before)


def cases(
    session: Session,
    *,
    today: date,
    village: str | None = None,
    step: str | None = None,
    kind: str | None = None,
    late: str | None = None,
    status: str | None = "open",
    notice: str | None = None,
    objected: bool = False,
    escalated: str | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> CasePage:
    """A keyset page of cases, filtered by village (or any division prefix), step, procedure,
    status, lateness and escalation level, with the total of the whole filtered list."""
    statement = case_filters(
        session,
        today=today,
        village=village,
        step=step,
        kind=kind,
        late=late,
        status=status,
        notice=notice,
        objected=objected,
        escalated=escalated,
    )
    total = session.scalar(select(func.count()).select_from(statement.subquery()))
    rows, after = keyset(session, statement, [Case.id], cursor=cursor, limit=limit, key=lambda c: [c.id])
    return CasePage(items=page_of(session, rows, today), total=total, next_cursor=after)


def notices_of(session: Session, village_code: str, today: date) -> list[NoticeOut]:
    """A village's notices, running first, then ended ones (newest first)."""
    rows = session.scalars(
        # A public page has no reader's area: the county (the village code's first six digits)
        # is said here so that Citus reads that county's shard only.
        select(Notice)
        .where(Notice.county_code == village_code[:6], Notice.village_code == village_code)
        .order_by(Notice.ends_on.desc(), Notice.id.desc())
    ).all()
    out = [
        NoticeOut(
            county_code=n.county_code,
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


# What a public notice may show: never ID, phone, bank or health details. The grounds of a
# case are free text that often names an illness (因病), so they stay off public pages.
PUBLIC_FACTS = ("name", "size", "category")


def household_counts(session: Session, **filters: Any) -> int:
    return session.execute(select(func.count()).select_from(Household).filter_by(**filters)).scalar_one()


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


def step_label_of(session: Session, notice: Notice) -> str:
    """The translated label of the step a notice belongs to."""
    procedure = procedures.procedure_of(session, access(session, Case, (notice.county_code, notice.case_id)))
    return gettext(procedure.step(notice.step).label)
