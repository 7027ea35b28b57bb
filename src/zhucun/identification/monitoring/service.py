"""Monitoring use cases: open monitoring cases for the signalled households a clerk selected
(all or nothing, skipping and counting those already monitored or in a case), and the
escalation sweep that raises overdue cases to the next level, one audited entry each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhucun.core import present
from zhucun.core.audit import record
from zhucun.core.auth import Principal
from zhucun.core.errors import Invalid
from zhucun.core.i18n import _, _l
from zhucun.core.present import Action as Told
from zhucun.core.scope import Area, Scope, access
from zhucun.core.tx import lock, use_case
from zhucun.divisions.models import Division
from zhucun.identification import favouritism, labels
from zhucun.identification.service import related_path
from zhucun.procedures import service as procedures
from zhucun.procedures.definitions import Procedure
from zhucun.procedures.models import Case, ProcedureVersion
from zhucun.registry.models import Household

from . import rules, signals, tallies


class Tag(StrEnum):
    ALERTS_IMPORTED = "identification:alert:imported"
    SWEPT = "identification:monitoring:swept"


LABELS = present.actions(
    {
        Tag.ALERTS_IMPORTED: Told(
            _l("Department alerts imported"),
            _l("imported {file}: {alerts} alerts, {matched} matched, {unmatched} not found"),
            clauses=False,
        ),
        Tag.SWEPT: Told(
            _l("Overdue cases swept"),
            _l("swept the monitoring cases of {object}: {escalated} escalated"),
            clauses=False,
        ),
    }
)
NOT_SIGNALLED = _l("Household {number} has no monitoring signal in {year}; refresh the list and choose again.")
LEVEL_NAMES = labels.LEVELS


@dataclass
class Opened:
    cases: list[int] = field(default_factory=list)
    monitored: int = 0  # skipped: already a monitored household
    in_case: int = 0  # skipped: a case of the household is running

    def as_json(self) -> dict[str, object]:
        return {"opened": len(self.cases), "cases": self.cases, "monitored": self.monitored, "in_case": self.in_case}


@use_case
def open_cases(
    session: Session, *, actor: Principal, division: str, household_ids: list[int], year: int, on: date
) -> Opened:
    """Open a monitoring case for each selected signalled household of the division."""
    place = access(session, Division, division)
    found = signals.compute(session, place.code, signals.Settings.of(year), on)
    at = {int(i): n for n, i in enumerate(found.ids.tolist())}
    missing = [i for i in household_ids if i not in at]
    if missing:
        number = session.scalar(select(Household.household_no).where(Household.id == missing[0])) or "?"
        raise Invalid(NOT_SIGNALLED, field="household_ids", code="not_signalled", number=number, year=year)
    done = Opened()
    for household_id in dict.fromkeys(household_ids):
        n = at[household_id]
        household = lock(session, Household, str(found.county[n]), household_id)
        assert household is not None  # read a moment ago in this transaction
        state = _state_now(session, household, str(found.state[n]))
        if state == signals.MONITORED:
            done.monitored += 1
        elif state == signals.IN_CASE:
            done.in_case += 1
        else:
            done.cases.append(_open(session, actor, household, int(found.bits[n]), on).id)
    return done


def _state_now(session: Session, household: Household, listed: str) -> str:
    """The household's state read again under its lock (a case may have opened meanwhile)."""
    running = session.scalar(
        select(Case.id).where(
            Case.county_code == household.county_code, Case.household_id == household.id, Case.status == "open"
        )
    )
    return signals.IN_CASE if running is not None else listed


def _open(session: Session, actor: Principal, household: Household, bits: int, on: date) -> Case:
    category = rules.category(bits, household.status)
    facts = {
        "name": household.head_name,
        "size": household.member_count,
        "category": category,
        # Public notices show the grounds: the signal names only, never health details.
        "grounds": "、".join(str(rules.SIGNAL_LABELS[name]) for name in rules.names_of(bits)),
        "signals": rules.names_of(bits),
    }
    return procedures.open_case(
        session,
        actor=actor,
        kind="monitoring",
        village_code=household.village_code,
        household_id=household.id,
        facts=facts,
        on=on,
        # The default window of favouritism.py (the same 3 years as Settings.kin_official_years).
        related_path=related_path(session, household, favouritism.since_default(on)),
    )


@dataclass
class Swept:
    escalated: list[tuple[int, str]] = field(default_factory=list)  # (case id, level)
    checked: int = 0
    pending: int = 0  # signals not yet acted on, as stored for the home page

    def as_json(self) -> dict[str, object]:
        cases = [{"case_id": c, "escalated_to": level} for c, level in self.escalated]
        return {"checked": self.checked, "escalated": len(self.escalated), "pending": self.pending, "cases": cases}


@use_case
def sweep(session: Session, *, actor: Principal, division: str, on: date) -> Swept:
    """Escalate the division's open monitoring cases whose clock has run out, and store its
    villages' pending signals as of ``on`` for the home page; idempotent."""
    place = access(session, Division, division)
    area = Area.of(place.code)
    scope = Scope.of([area]).resolve(session)
    cases = session.scalars(
        select(Case)
        .where(
            scope.county_clause(Case.county_code),
            area.within(Case.village_code),
            Case.kind == "monitoring",
            Case.status == "open",
        )
        .order_by(Case.county_code, Case.id)
    ).all()
    versions = {c.procedure_id for c in cases}
    found = session.execute(
        select(ProcedureVersion.id, ProcedureVersion.definition).where(ProcedureVersion.id.in_(versions))
    )
    known = {row.id: Procedure.from_data(row.definition) for row in found}
    done = Swept(checked=len(cases))
    for case in cases:
        level = _escalate(session, actor, case, known[case.procedure_id], on)
        if level:
            done.escalated.append((case.id, level))
    # After the escalations, which do not change what is pending: the area's signals once.
    done.pending = tallies.store(session, place.code, on)
    # The run itself is on record too: who swept which area as of which day, and what it found.
    record(
        session,
        actor=actor.actor,
        action=Tag.SWEPT,
        entity="division",
        entity_id=place.code,
        division=place.code,
        after={"on": on.isoformat(), **done.as_json()},
    )
    return done


def _escalate(session: Session, actor: Principal, case: Case, procedure: Procedure, on: date) -> str | None:
    if not procedure.clock_days:
        return None
    working = procedure.clock_working
    held_by = rules.holder(procedure.step(case.step).roles)
    target = rules.escalation(
        case.opened_on, procedure.clock_days, on, working=working, held_by=held_by, current=case.escalated_to
    )
    if target is None:
        return None
    locked = lock(session, Case, case.county_code, case.id) or case
    before = {"escalated_to": locked.escalated_to}
    locked.escalated, locked.escalated_to, locked.escalated_on = True, target, on
    session.flush()
    passed = rules.passed_on(case.opened_on, procedure.clock_days, working=working)
    unit = _("working days") if working else _("days")
    reason = _("Clock of {days} {unit} passed on {date}; escalated to the {level}.").format(
        days=procedure.clock_days, unit=unit, date=passed.isoformat(), level=LEVEL_NAMES[target]
    )
    record(
        session,
        actor=actor.actor,
        action=procedures.Tag.ESCALATED,
        entity="case",
        entity_id=locked.id,
        division=locked.village_code,
        before=before,
        after={"escalated_to": target, "step": locked.step},
        reason=reason,
    )
    return target


def escalated_count(session: Session, level: str) -> int:
    """Open cases escalated to ``level`` in the session's scope (the home page's count)."""
    statement = select(func.count()).select_from(Case).where(Case.status == "open", Case.escalated_to == level)
    return session.scalar(statement) or 0
