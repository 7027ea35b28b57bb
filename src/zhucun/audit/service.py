"""Verifying the trail for a principal: the chains of the counties in their scope."""

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
