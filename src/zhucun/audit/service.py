"""Verifying the trail for a principal, and resealing chains at the command line."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import audit
from ..core.auth import Principal
from ..core.db import Database
from ..core.permissions import AUDIT_VERIFY, role_has
from ..core.scope import Scope
from ..core.tx import use_case


class Tag(StrEnum):
    # A verification is itself recorded: who checked the chains, when, and what they found,
    # so that the auditor's home page can say the chains' state without walking them again.
    VERIFIED = "audit:chain:verified"


def verify_for(db: Database, scope: Scope) -> audit.Verification:
    # A chain is checked whole, so an unscoped session reads it; only chains in scope are walked.
    with db.begin(write=False) as session:
        if scope.is_everywhere:
            return audit.verify(session)
        return audit.verify(session, scope.prefixes(), within=scope.counties())


def seal_chains(db: Database, *, actor: audit.Actor, reason: str) -> tuple[list[str], list[audit.Finding]]:
    """Seal every chain whose entries hold but whose head has no valid seal; one transaction.

    Returns the counties sealed and the findings that no seal can cure (broken entries)."""
    with db.begin() as session:
        findings = audit.verify(session).findings
        curable = [f for f in findings if f.code in (audit.UNSEALED, audit.BAD_SEAL)]
        counties = [f.ref.split("-", 1)[0] for f in curable]
        for county in counties:
            audit.reseal(session, county, actor=actor, reason=reason)
    return counties, [f for f in findings if f not in curable]


def _area(actor: Principal) -> str | None:
    """The widest area the actor verifies: the division of a grant that allows it (None: everywhere)."""
    areas = [g.division_code for g in actor.grants if role_has(g.role, AUDIT_VERIFY)]
    return None if not areas or None in areas else min(areas, key=len)


@use_case
def record_check(session: Session, *, actor: Principal, result: audit.Verification) -> None:
    """Record a verification in the trail (the chain of the verifier's area)."""
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.VERIFIED,
        entity="audit_chain",
        division=_area(actor),
        after={
            "checked": result.checked,
            "findings": len(result.findings),
            "first": result.findings[0].ref if result.findings else None,
        },
    )


def last_check(session: Session) -> audit.AuditEntry | None:
    """The latest verification recorded in the reader's area (the session is scoped)."""
    return session.scalars(
        select(audit.AuditEntry)
        .where(audit.AuditEntry.action == Tag.VERIFIED.value)
        .order_by(audit.AuditEntry.at.desc(), audit.AuditEntry.seq.desc())
        .limit(1)
    ).first()
