"""Procedure use cases: open a case, take an action (one case, or a batch all or nothing),
object to a notice. The engine decides; this module locks, persists and audits."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from zhucun.core import present
from zhucun.core.audit import Actor as AuditActor
from zhucun.core.audit import record
from zhucun.core.auth import Principal
from zhucun.core.db import county_of, utcnow
from zhucun.core.errors import Invalid, NotFound, TooMany
from zhucun.core.i18n import _l
from zhucun.core.ids import allocate
from zhucun.core.present import Action as Told
from zhucun.core.scope import Area, access_by
from zhucun.core.tx import conflict, lock, use_case

from . import definitions as d
from .engine import NOTE, OBJECT, Action, Actor, CaseState, Moved, Refusal, advance
from .models import Case, CaseSignature, Notice, Objection, ProcedureVersion
from .refusals import as_error

# Objections one address may send per hour (a configurable default).
OBJECTIONS_PER_HOUR = 5
PUBLIC = AuditActor(user_id=None, username="public", via="web")
conflict(
    "uq_case_signatures_one_per_account",
    "body",
    _l("This account has already signed this case; the other body must sign from another account."),
)
conflict("pk_case_signatures", "body", _l("This body has already signed."))

# What a decided case does, per kind (identification registers the change of status).
OUTCOMES: dict[str, Callable[[Session, Case, Principal, d.Procedure], None]] = {}


class Tag(StrEnum):
    OPENED = "procedures:case:opened"
    PASSED = "procedures:case:passed"
    SIGNED = "procedures:case:signed"
    VERIFIED = "procedures:case:verified"
    RETURNED = "procedures:case:returned"
    REOPENED = "procedures:case:reopened"
    APPROVED = "procedures:case:approved"
    REFUSED = "procedures:case:refused"
    NOTED = "procedures:case:noted"
    OBJECTED = "procedures:objection:received"
    ESCALATED = "procedures:case:escalated"


LABELS = present.actions(
    {
        Tag.OPENED: Told(_l("Case opened"), _l("opened the case {object}"), clauses=False),
        Tag.PASSED: Told(_l("Step passed"), _l("passed a step of the case {object}"), clauses=False),
        Tag.SIGNED: Told(_l("Case signed"), _l("signed the case {object}"), clauses=False),
        Tag.VERIFIED: Told(_l("Case verified"), _l("verified the case {object}"), clauses=False),
        Tag.RETURNED: Told(_l("Case returned"), _l("returned the case {object} to an earlier step"), clauses=False),
        Tag.REOPENED: Told(_l("Case reopened"), _l("reopened the case {object} after an objection"), clauses=False),
        Tag.APPROVED: Told(_l("Case approved"), _l("approved the case {object}"), clauses=False),
        Tag.REFUSED: Told(_l("Case refused"), _l("refused the case {object}"), clauses=False),
        Tag.NOTED: Told(_l("Case noted"), _l("added a note to the case {object}"), clauses=False),
        Tag.OBJECTED: Told(_l("Objection received"), _l("received an objection to the case {object}"), clauses=False),
        Tag.ESCALATED: Told(_l("Case escalated"), _l("escalated the overdue case {object}"), clauses=False),
    }
)


EVENT_TAGS = {
    "passed": Tag.PASSED,
    "signed": Tag.SIGNED,
    "verified": Tag.VERIFIED,
    "returned": Tag.RETURNED,
    "reopened": Tag.REOPENED,
    "approved": Tag.APPROVED,
    "refused": Tag.REFUSED,
    NOTE: Tag.NOTED,
}


def sync(session: Session) -> None:
    """Store the built-in procedure versions that are not stored yet (after every upgrade)."""
    columns = (ProcedureVersion.kind, ProcedureVersion.province, ProcedureVersion.year, ProcedureVersion.version)
    stored = {tuple(row) for row in session.execute(select(*columns))}
    for procedure in d.defaults():
        if (procedure.kind, procedure.province, procedure.year, procedure.version) not in stored:
            session.add(
                ProcedureVersion(
                    kind=procedure.kind,
                    province=procedure.province,
                    year=procedure.year,
                    version=procedure.version,
                    definition=procedure.to_data(),
                )
            )
            # One row per statement: the NUL guard reads a batched INSERT's parameters as flat.
            session.flush()


def version_for(session: Session, kind: str, division_code: str, on: date) -> ProcedureVersion:
    """The newest version for the division's province (else the national one) in force on a day."""
    province = division_code[:2]
    row = session.scalars(
        select(ProcedureVersion)
        .where(
            ProcedureVersion.kind == kind,
            ProcedureVersion.province.in_((province, "")),
            ProcedureVersion.year <= max(on.year, 2026),
        )
        .order_by(
            (ProcedureVersion.province == "").asc(), ProcedureVersion.year.desc(), ProcedureVersion.version.desc()
        )
    ).first()
    if row is None:
        raise Invalid(_l("No procedure is configured for {kind}."), field="kind", code="no_procedure", kind=kind)
    return row


def procedure_of(session: Session, case: Case) -> d.Procedure:
    row = session.get_one(ProcedureVersion, case.procedure_id)
    return d.Procedure.from_data(row.definition)


def roles_at(principal: Principal, village_code: str) -> frozenset[str]:
    """The principal's roles whose area covers the village."""
    return frozenset(g.role.value for g in principal.grants if Area.of(g.division_code).covers(village_code))


def signatures_of(session: Session, case: Case) -> list[CaseSignature]:
    return list(
        session.scalars(
            select(CaseSignature).where(
                CaseSignature.county_code == case.county_code,
                CaseSignature.case_id == case.id,
                CaseSignature.round == case.round,
                CaseSignature.step == case.step,
            )
        )
    )


def state_of(session: Session, case: Case) -> CaseState:
    return CaseState(
        step=case.step,
        entered_on=case.step_entered_on,
        status=case.status,
        signatures=frozenset((s.body, s.account_id) for s in signatures_of(session, case)),
        notice_ends=case.notice_ends_on,
        related=case.related,
        round=case.round,
    )


def access_case(session: Session, county_code: str, case_id: int) -> Case:
    return access_by(session, Case, county_code=county_code, id=case_id)


def _audit(session: Session, actor: AuditActor, tag: str, case: Case, before: Any, reason: str | None) -> None:
    after = {"step": case.step, "status": case.status, "round": case.round}
    record(
        session,
        actor=actor,
        action=tag,
        entity="case",
        entity_id=case.id,
        division=case.village_code,
        before=before,
        after=after,
        reason=reason,
    )


@use_case
def open_case(
    session: Session,
    *,
    actor: Principal,
    kind: str,
    village_code: str,
    household_id: int | None,
    facts: dict[str, Any],
    on: date,
    related_path: str | None = None,
) -> Case:
    """Open a case at the first step of the procedure in force for the village."""
    row = version_for(session, kind, village_code, on)
    procedure = d.Procedure.from_data(row.definition)
    case = Case(
        county_code=county_of(village_code),
        id=allocate(session, "cases"),
        kind=kind,
        procedure_id=row.id,
        village_code=village_code,
        household_id=household_id,
        step=procedure.first,
        status="open",
        round=1,
        opened_on=on,
        step_entered_on=on,
        related=related_path is not None,
        related_path=related_path,
        escalated=False,
        facts=facts,
    )
    session.add(case)
    session.flush()
    _audit(session, actor.actor, Tag.OPENED, case, None, None)
    return case


@use_case
def act(session: Session, *, actor: Principal, case: Case, action: Action) -> Case:
    """Take one action on a case: pass, sign, reject or note, as the procedure allows."""
    locked = lock(session, Case, case.county_code, case.id) or case
    procedure = procedure_of(session, locked)
    who = Actor(actor.user_id, roles_at(actor, locked.village_code))
    result = advance(procedure, state_of(session, locked), action, who)
    if isinstance(result, Refusal):
        raise as_error(result)
    _persist(session, locked, procedure, result, action, signer=actor)
    _audit(session, actor.actor, EVENT_TAGS[result.event], locked, {"step": result.from_step}, action.reason)
    if result.event == "approved" and locked.kind in OUTCOMES:
        OUTCOMES[locked.kind](session, locked, actor, procedure)
    return locked


@use_case
def act_many(session: Session, *, actor: Principal, cases: Sequence[Case], action: Action) -> list[Case]:
    """The same action on many cases (a township passing a village's cases): all or nothing."""
    return [act(session, actor=actor, case=case, action=action) for case in cases]


def _persist(
    session: Session, case: Case, procedure: d.Procedure, result: Moved, action: Action, signer: Principal | None
) -> None:
    state = result.state
    if result.event == "signed" or (result.event == "verified" and action.body):
        # The engine refuses a signature from no account, so a signing step always has one.
        assert signer is not None
        session.add(
            CaseSignature(
                county_code=case.county_code,
                case_id=case.id,
                round=case.round,
                step=result.from_step,
                body=action.body,
                account_id=signer.user_id,
                account_name=signer.username,
                village_code=case.village_code,
            )
        )
        session.flush()
    if action.review:
        case.facts = {**(case.facts or {}), "review": action.review}
    case.step, case.status, case.round = state.step, state.status, state.round
    case.step_entered_on, case.notice_ends_on = state.entered_on, state.notice_ends
    if state.status != "open":
        case.decided_on = action.on
    if result.notice_opened:
        _open_notice(session, case, procedure)
    session.flush()


def _open_notice(session: Session, case: Case, procedure: d.Procedure) -> None:
    facts = case.facts or {}
    session.add(
        Notice(
            county_code=case.county_code,
            id=allocate(session, "case_notices"),
            case_id=case.id,
            village_code=case.village_code,
            kind=case.kind,
            step=case.step,
            round=case.round,
            starts_on=case.step_entered_on,
            ends_on=case.notice_ends_on,
            interrupted=False,
            # Only what a public page may show: never ID, phone, bank or health details.
            public={k: facts[k] for k in ("name", "size", "category", "grounds") if k in facts},
        )
    )


def address_hash(address: str | None) -> str:
    return hashlib.sha256(f"zhucun-objection:{address or '-'}".encode()).hexdigest()


@use_case
def object_to(
    session: Session, *, notice: Notice, text: str, name: str | None, contact: str | None, address: str | None, on: date
) -> Objection:
    """Anyone's objection to a running notice: the case goes back where the procedure says."""
    hashed = address_hash(address)
    since = utcnow() - timedelta(hours=1)
    sent = session.execute(
        select(func.count())
        .select_from(Objection)
        .where(Objection.address_hash == hashed, Objection.received_at >= since)
    ).scalar_one()
    if sent >= OBJECTIONS_PER_HOUR:
        raise TooMany(_l("Too many objections from this address; try again in an hour."), retry_after=3600)
    case = lock(session, Case, notice.county_code, notice.case_id)
    if case is None:
        raise NotFound()
    if case.round != notice.round or case.step != notice.step:
        raise as_error(Refusal("notice_ended", {"ends": notice.ends_on}))
    procedure = procedure_of(session, case)
    result = advance(procedure, state_of(session, case), Action(OBJECT, on, reason=text), Actor(None, frozenset()))
    if isinstance(result, Refusal):
        raise as_error(result)
    objection = Objection(
        county_code=case.county_code,
        id=allocate(session, "case_objections"),
        notice_id=notice.id,
        case_id=case.id,
        village_code=case.village_code,
        text=text,
        name=name,
        contact=contact,
        address_hash=hashed,
    )
    session.add(objection)
    session.execute(
        update(Notice).where(Notice.county_code == notice.county_code, Notice.id == notice.id).values(interrupted=True)
    )
    _persist(session, case, procedure, result, Action(OBJECT, on), signer=None)
    record(
        session,
        actor=PUBLIC,
        action=Tag.OBJECTED,
        entity="case",
        entity_id=case.id,
        division=case.village_code,
        before={"step": result.from_step},
        after={"step": case.step},
        reason=text,
    )
    return objection
