"""The auditor's counts on the home page: numbers revealed and lists exported in the last
30 days, and the length of the chain to verify."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from ..core.audit import AuditEntry
from ..core.db import utcnow
from ..core.disclosure import Tag
from ..core.i18n import _l
from ..core.mechanism import HomeItem
from ..core.permissions import AUDIT_READ, AUDIT_VERIFY
from ..home.work import scoped

RECENT_DAYS = 30


def items(ctx: Any) -> list[HomeItem]:
    if not ctx.principal.can(AUDIT_VERIFY):
        return []
    since = utcnow() - timedelta(days=RECENT_DAYS)
    watched = (Tag.UNMASKED.value, Tag.EXPORTED.value)
    with scoped(ctx, AUDIT_READ) as session:
        # One GROUP BY for the recent disclosures, one COUNT for the chain.
        recent = dict(
            session.execute(
                select(AuditEntry.action, func.count())
                .where(AuditEntry.action.in_(watched), AuditEntry.at >= since)
                .group_by(AuditEntry.action)
            ).all()
        )
        entries = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    group = _l("Oversight")
    return [
        HomeItem(
            _l("Numbers revealed, last 30 days"),
            recent.get(Tag.UNMASKED.value, 0),
            f"/audit?action={Tag.UNMASKED.value}",
            "warn",
            group,
        ),
        HomeItem(
            _l("Lists exported, last 30 days"),
            recent.get(Tag.EXPORTED.value, 0),
            f"/audit?action={Tag.EXPORTED.value}",
            "",
            group,
        ),
        HomeItem(_l("Entries in the chain — verify"), entries, "/audit/verify", "", group),
    ]
