"""Verifying the trail for a principal, and resealing chains at the command line."""

from __future__ import annotations

from ..core import audit
from ..core.db import Database
from ..core.scope import Scope


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
