"""The auditor's counts on the home page: numbers revealed and lists exported in the last
30 days, and the chains' state at their last verification (recorded in the trail, so that the
home page never walks the chains itself)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select

from ..core.audit import AuditEntry
from ..core.db import utcnow
from ..core.disclosure import Tag
from ..core.i18n import _, _l
from ..core.mechanism import HomeItem
from ..core.permissions import AUDIT_READ, AUDIT_VERIFY
from ..home.work import scoped
from . import service

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
        checked = service.last_check(session)
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
        _chains(checked, entries, group),
    ]


def _chains(checked: AuditEntry | None, entries: int, group: Any) -> HomeItem:
    """The chains' state as last verified: intact (entries checked), broken (chains broken,
    with the first bad entry), or never verified (entries waiting)."""
    if checked is None:
        return HomeItem(_("Audit entries, chains not verified yet"), entries, "/audit/verify", "warn", group)
    found = checked.after or {}
    when = f"{checked.at:%Y-%m-%d %H:%M}"
    if found.get("findings"):
        label = _("Audit chains found broken at the check of {when} (first bad entry {ref})").format(
            when=when, ref=found.get("first")
        )
        return HomeItem(label, int(found["findings"]), "/audit/verify", "alert", group)
    label = _("Audit entries found intact at the check of {when}").format(when=when)
    return HomeItem(label, int(found.get("checked") or 0), "/audit/verify", "ok", group)
