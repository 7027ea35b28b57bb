"""What the case pages show: names for codes and ids, the steps with who signed when, the
actions the reader may take, and the history as sentences."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.audit import AuditEntry
from ..core.deps import Ctx
from ..core.export import Column
from ..core.i18n import _l, gettext
from ..core.models import User
from ..core.scope import access_by
from ..divisions.models import Division
from ..procedures import service as procedures
from ..procedures.definitions import BODIES, OUTSIDE_VILLAGE, Procedure
from ..procedures.models import Case, CaseSignature, Notice, Objection, ProcedureVersion
from ..registry.models import Household
from . import labels, queries
from .exits import checks as exit_checks
from .permissions import CASE_ACT

REVIEW_FIELDS = ("date", "attendees", "votes_for", "votes_against", "abstaining", "minutes")

EXPORT_COLUMNS = [
    Column(_l("Case"), lambda c: c.id),
    Column(_l("Procedure"), lambda c: labels.label(labels.KINDS, c.kind)),
    Column(_l("Village"), lambda c: c.village_name or c.village_code),
    Column(_l("Head of household"), lambda c: c.head_name),
    Column(_l("Step"), lambda c: c.step_label),
    Column(_l("Status"), lambda c: labels.label(labels.STATUSES, c.status)),
    Column(_l("Opened on"), lambda c: c.opened_on),
    Column(_l("Due on"), lambda c: c.due_on),
    Column(_l("Deadline"), lambda c: labels.label(labels.LATENESS, c.lateness)),
    Column(_l("Decision due on"), lambda c: c.clock_due_on),
    Column(_l("Statutory clock"), lambda c: labels.label(labels.LATENESS, c.clock)),
    Column(_l("Related to officials"), lambda c: c.related),
]


def villages(session: Session, limit: int = 500) -> list[Division]:
    """Villages of the reader's area for a choice list (empty when there are too many)."""
    rows = list(
        session.scalars(select(Division).where(Division.level == "village").order_by(Division.code).limit(limit + 1))
    )
    return rows if len(rows) <= limit else []


def step_choices(session: Session) -> list[tuple[str, str]]:
    """Every step key of the stored procedures with its label, for the step filter."""
    seen: dict[str, str] = {}
    for (definition,) in session.execute(select(ProcedureVersion.definition)):
        for step in Procedure.from_data(definition).steps:
            seen.setdefault(step.key, gettext(step.label))
    return sorted(seen.items(), key=lambda kv: kv[1])


def action_values(form: dict[str, str]) -> dict[str, Any]:
    """A posted action form as ActionIn input: blanks dropped, review fields grouped."""
    values: dict[str, Any] = {k: form[k].strip() for k in ("action", "body", "reason") if form.get(k, "").strip()}
    review = {k: form[f"review_{k}"].strip() for k in REVIEW_FIELDS if form.get(f"review_{k}", "").strip()}
    if review:
        values["review"] = review
    return values


def may_take(ctx: Ctx, case: Case, procedure: Procedure) -> dict[str, Any]:
    """The actions the reader may offer at the case's step (the engine still decides)."""
    if case.status != "open" or not ctx.principal.can(CASE_ACT):
        return {}
    step = procedure.step(case.step)
    roles = procedures.roles_at(ctx.principal, case.village_code)
    outside = bool(roles & OUTSIDE_VILLAGE)
    if case.related and step.dual:
        return {"pass": outside, "reject": outside, "note": True, "sign": []}
    acting = bool(roles & step.roles)
    return {
        "pass": acting and not step.dual,
        "review": step.review,
        "reject": acting,
        "note": True,
        "sign": [body for body, members in BODIES.items() if step.dual and roles & members],
    }


def _names(session: Session, usernames: set[str]) -> dict[str, str]:
    rows = session.execute(select(User.username, User.display_name).where(User.username.in_(usernames)))
    return dict(rows.all())


def steps_of(session: Session, case: Case, procedure: Procedure, names: dict[str, str]) -> list[dict[str, Any]]:
    """Each step with its state (done, current, ahead) and the signatures given on it."""
    signed = session.scalars(
        select(CaseSignature)
        .where(CaseSignature.county_code == case.county_code, CaseSignature.case_id == case.id)
        .order_by(CaseSignature.signed_at)
    ).all()
    keys = [s.key for s in procedure.steps]
    here = keys.index(case.step)
    out = []
    for index, step in enumerate(procedure.steps):
        state = "done" if index < here or case.status == "approved" else ("current" if index == here else "ahead")
        signatures = [
            {
                "body": labels.label(labels.BODIES, s.body),
                "who": names.get(s.account_name, s.account_name),
                "at": s.signed_at,
                "round": s.round,
            }
            for s in signed
            if s.step == step.key
        ]
        out.append({"key": step.key, "label": gettext(step.label), "state": state, "signatures": signatures})
    return out


def history_of(session: Session, case: Case, procedure: Procedure) -> list[dict[str, Any]]:
    """The case's audit entries as sentences in the page's language, with people's names."""
    entries = session.scalars(
        select(AuditEntry)
        .where(
            AuditEntry.county_code == case.county_code,
            AuditEntry.entity == "case",
            AuditEntry.entity_id == str(case.id),
        )
        .order_by(AuditEntry.seq)
    ).all()
    names = _names(session, {e.actor_name for e in entries})
    return [
        {"at": e.at, "text": _sentence(e, procedure, names), "reason": e.reason, "action": e.action} for e in entries
    ]


def _step_name(procedure: Procedure, key: str | None) -> str:
    try:
        return gettext(procedure.step(key).label) if key else "—"
    except KeyError:
        return key or "—"


def _sentence(entry: AuditEntry, procedure: Procedure, names: dict[str, str]) -> str:
    template = labels.EVENTS.get(entry.action)
    if template is None:
        return entry.action
    who = names.get(entry.actor_name, entry.actor_name)
    if entry.actor_name == "public":
        who = gettext("A member of the public")
    before, after = entry.before or {}, entry.after or {}
    return str(template).format(
        who=who, step=_step_name(procedure, before.get("step")), to=_step_name(procedure, after.get("step"))
    )


def case_context(ctx: Ctx, case: Case, errors: dict[str, str], *, form: dict[str, str] | None = None) -> dict[str, Any]:
    session, today = ctx.session, date.today()
    procedure = procedures.procedure_of(session, case)
    out = queries.one(session, case, today)
    signers = {s.account_name for s in session.scalars(select(CaseSignature).where(CaseSignature.case_id == case.id))}
    notices = session.scalars(
        select(Notice).where(Notice.county_code == case.county_code, Notice.case_id == case.id).order_by(Notice.id)
    ).all()
    objections = session.scalars(
        select(Objection)
        .where(Objection.county_code == case.county_code, Objection.case_id == case.id)
        .order_by(Objection.received_at)
    ).all()
    return {
        "case": out,
        "facts": case.facts or {},
        "steps": steps_of(session, case, procedure, _names(session, signers)),
        "notices": notices,
        "objections": objections,
        "history": history_of(session, case, procedure),
        "may": may_take(ctx, case, procedure),
        "errors": errors,
        "form": form or {},
        "labels": labels,
        "today": today,
        "exit_checks": _exit_checks(session, case, today),
    }


def _exit_checks(session: Any, case: Case, today: date) -> list[dict[str, Any]]:
    """The named exit checks of the household on an exit case (exits/checks.py)."""
    if case.kind != "exit" or case.household_id is None:
        return []
    household = access_by(session, Household, county_code=case.county_code, id=case.household_id)
    return exit_checks.shown(session, household, today)
