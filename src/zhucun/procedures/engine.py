"""The procedure engine: a pure function from (procedure, case state, action, actor) to the
next state or a named refusal. No database, no clock: the service passes today's date and
the facts it checked, persists what comes back and audits it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from .calendar import add_days
from .definitions import BODIES, OUTSIDE_VILLAGE, Procedure, Step

OPEN, APPROVED, REFUSED = "open", "approved", "refused"
PASS, REJECT, SIGN, OBJECT, NOTE = "pass", "reject", "sign", "object", "note"


@dataclass(frozen=True)
class CaseState:
    step: str
    entered_on: date
    status: str = OPEN
    # Signatures of the current round of the dual step: (body, account id).
    signatures: frozenset[tuple[str, int]] = frozenset()
    notice_ends: date | None = None
    # Flagged as related to the village's officials or work team (优亲厚友).
    related: bool = False
    round: int = 1


@dataclass(frozen=True)
class Action:
    kind: str
    on: date
    reason: str | None = None
    body: str | None = None
    # Checks of the step that failed (named by the service), and whether a review record is given.
    failed: tuple[str, ...] = ()
    review: dict[str, Any] | None = None


@dataclass(frozen=True)
class Actor:
    account_id: int | None
    roles: frozenset[str]


@dataclass(frozen=True)
class Refusal:
    rule: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Moved:
    state: CaseState
    event: str
    from_step: str
    to_step: str | None
    # A notice opens when the case enters a step that has one.
    notice_opened: bool = False


def enter(procedure: Procedure, state: CaseState, key: str, on: date, *, round_up: bool = False) -> CaseState:
    """The state of a case entering step ``key`` on a day (a notice starts running)."""
    step = procedure.step(key)
    ends = add_days(on, step.notice_days, working=False) if step.notice_days else None
    return replace(
        state,
        step=key,
        entered_on=on,
        signatures=frozenset(),
        notice_ends=ends,
        round=state.round + (1 if round_up else 0),
    )


def advance(procedure: Procedure, state: CaseState, action: Action, actor: Actor) -> Moved | Refusal:
    """The next state of the case, or the named rule that refuses the action."""
    if state.status != OPEN:
        return Refusal("case_closed")
    step = procedure.step(state.step)
    if action.kind == OBJECT:
        return _object(procedure, state, step, action)
    if action.kind == NOTE:
        return Moved(state, NOTE, step.key, step.key)
    if refusal := _may_act(step, state, action, actor):
        return refusal
    if action.kind == SIGN:
        return _sign(procedure, state, step, action, actor)
    if action.kind == REJECT:
        return _reject(procedure, state, step, action)
    if action.kind == PASS:
        return _pass(procedure, state, step, action)
    return Refusal("unknown_action", {"action": action.kind})


def _may_act(step: Step, state: CaseState, action: Action, actor: Actor) -> Refusal | None:
    if state.related and step.dual:
        # A related case is verified from outside the village only, by a pass, not signatures.
        if not actor.roles & OUTSIDE_VILLAGE:
            return Refusal("related_outside_village")
        if action.kind == SIGN:
            return Refusal("related_needs_pass")
        return None
    if not actor.roles & step.roles:
        return Refusal("wrong_role", {"step": step.label})
    if step.dual and action.kind == PASS:
        return Refusal("needs_signatures")
    return None


def _sign(procedure: Procedure, state: CaseState, step: Step, action: Action, actor: Actor) -> Moved | Refusal:
    if not step.dual:
        return Refusal("no_signature_step")
    body = action.body
    # Only an account signs: the public (no account) has no body's roles either.
    account = actor.account_id
    if body not in BODIES or account is None or not actor.roles & BODIES[body]:
        return Refusal("not_of_body", {"body": body or ""})
    if any(signer == account for _b, signer in state.signatures):
        return Refusal("one_account_one_signature")
    if any(b == body for b, _a in state.signatures):
        return Refusal("body_signed", {"body": body})
    signed = replace(state, signatures=state.signatures | {(body, account)})
    if {b for b, _a in signed.signatures} >= set(BODIES):
        return _forward(procedure, signed, step, action, "verified")
    return Moved(signed, "signed", step.key, step.key)


def _pass(procedure: Procedure, state: CaseState, step: Step, action: Action) -> Moved | Refusal:
    if state.notice_ends is not None and action.on < state.notice_ends:
        return Refusal("notice_running", {"ends": state.notice_ends})
    if action.failed:
        return Refusal("rules_failed", {"rules": action.failed})
    if step.review and not action.review:
        return Refusal("review_missing")
    if step.review and action.review and not _carried(action.review):
        return Refusal("review_not_carried")
    return _forward(procedure, state, step, action, "passed")


def _carried(review: dict[str, Any]) -> bool:
    """A democratic review carries the case when more than half of those present vote for it."""
    return 2 * int(review.get("votes_for", 0)) > int(review.get("attendees", 0))


def _forward(procedure: Procedure, state: CaseState, step: Step, action: Action, event: str) -> Moved:
    following = procedure.after(step.key)
    if following is None:
        return Moved(
            replace(state, status=APPROVED, signatures=frozenset(), notice_ends=None), "approved", step.key, None
        )
    entered = enter(procedure, state, following, action.on)
    return Moved(entered, event, step.key, following, notice_opened=entered.notice_ends is not None)


def _reject(procedure: Procedure, state: CaseState, step: Step, action: Action) -> Moved | Refusal:
    if not (action.reason or "").strip():
        return Refusal("reason_required")
    if step.on_reject is None:
        return Moved(replace(state, status=REFUSED, notice_ends=None), "refused", step.key, None)
    back = enter(procedure, state, step.on_reject, action.on, round_up=True)
    return Moved(back, "returned", step.key, step.on_reject, notice_opened=back.notice_ends is not None)


def _object(procedure: Procedure, state: CaseState, step: Step, action: Action) -> Moved | Refusal:
    """An objection during a running notice reopens the case where the procedure says; the
    notice then runs again in full when the case comes back to it."""
    if state.notice_ends is None:
        return Refusal("no_notice")
    if action.on >= state.notice_ends:
        return Refusal("notice_ended", {"ends": state.notice_ends})
    if not (action.reason or "").strip():
        return Refusal("reason_required")
    target = step.on_objection or step.key
    back = enter(procedure, state, target, action.on, round_up=True)
    return Moved(back, "reopened", step.key, target, notice_opened=back.notice_ends is not None)
