"""Terms on the home pages: the organisation department's "terms ended, not rotated" and
"terms ending within N days" for its county, and a dispatching unit's for its own cadres (the
scope keeps a unit's count to its cadres), each opening the list of those terms."""

from __future__ import annotations

from datetime import date
from typing import Any

from zhucun.core.i18n import _l
from zhucun.core.mechanism import HomeItem
from zhucun.core.permissions import Role
from zhucun.home.work import scoped
from zhucun.selection.permissions import TERM_READ

from . import queries
from .settings import rules_for

ROLES = {
    Role.ORG_DEPT: _l("Terms ending within {n} days"),
    Role.UNIT: _l("Our cadres' terms ending within {n} days"),
}
ENDED = {
    Role.ORG_DEPT: _l("Terms ended, not rotated"),
    Role.UNIT: _l("Our cadres' terms ended, not rotated"),
}


def items(ctx: Any) -> list[HomeItem]:
    if not ctx.principal.can(TERM_READ):
        return []
    found = []
    with scoped(ctx, TERM_READ) as session:
        for grant in ctx.principal.grants:
            if grant.role not in ROLES or not grant.division_code or not grant.division_code.endswith("000000"):
                continue
            # A province or prefecture grant reads its counties' pages: the count is the county's.
            county = grant.division_code
            if county.endswith("000000000"):
                continue
            days = rules_for(session, county[:2], date.today().year).warning_days
            ended, ending = queries.by_end(session, county, days)
            count = len(ending)
            found.append(
                HomeItem(
                    ENDED[Role(grant.role)],
                    len(ended),
                    f"/selection/terms?county={county}&show=ended",
                    "alert" if ended else "ok",
                    _l("Work teams"),
                )
            )
            found.append(
                HomeItem(
                    _Formatted(ROLES[Role(grant.role)], days),
                    count,
                    f"/selection/terms?county={county}&days={days}",
                    "warn" if count else "ok",
                    _l("Work teams"),
                )
            )
    return found


class _Formatted:
    """A lazy label with its number filled in when shown (in the reader's language)."""

    def __init__(self, label: Any, n: int) -> None:
        self.label, self.n = label, n

    def __str__(self) -> str:
        return str(self.label).format(n=self.n)
