"""The monitoring items of the home page: signals not yet acted on, alerts not found in the
register, and red cases escalated to the reader's level."""

from __future__ import annotations

from typing import Any

from zhucun.core.deps import Ctx
from zhucun.core.errors import DomainError
from zhucun.core.i18n import _, _l
from zhucun.core.mechanism import HomeItem
from zhucun.divisions.areas import report_area

from . import queries, service, tallies
from .permissions import SIGNAL_READ

# The level a role answers for when a case is escalated.
LEVEL_OF_ROLE = {"township": "township", "rr_bureau": "county"}


def items(ctx: Ctx) -> list[HomeItem]:
    if not ctx.principal.can(SIGNAL_READ):
        return []
    group = _l("Identification and monitoring")
    out: list[HomeItem] = []
    try:
        division = report_area(ctx, None, SIGNAL_READ).code
    except DomainError:
        return []
    # As the last sweep stored them: computing the signals of the whole area is the
    # signals page's work (and the sweep's), not every home-page view's.
    pending = tallies.pending(ctx.session, division)
    url = "/identification/signals?state=pending"
    out.append(HomeItem(_pending_label(pending), pending.pending, url, "warn", group))
    unmatched = queries.unmatched_count(ctx.session)
    out.append(
        HomeItem(_l("Alerts not found in the register"), unmatched, "/identification/alerts?matched=0", "", group)
    )
    for level in sorted({LEVEL_OF_ROLE[g.role.value] for g in ctx.principal.grants if g.role.value in LEVEL_OF_ROLE}):
        count = service.escalated_count(ctx.session, level)
        # The list behind the count: the same open cases, escalated to this level.
        url = f"/identification/cases?escalated={level}"
        out.append(HomeItem(_l("Red cases escalated to you"), count, url, "alert", group))
    return out


def _pending_label(tally: tallies.Tally) -> Any:
    if tally.as_of is None:
        return _("Signals not yet acted on (the area has not been swept yet)")
    return _("Signals not yet acted on, as of {date}").format(date=tally.as_of.isoformat())
