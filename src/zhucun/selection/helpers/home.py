"""The helpers' items on the home page, each opening the coverage page filtered to the list
behind its count: households in care without a helper (whoever reads helpers), and for the
organisation department helpers over the cap and marked villages without a complete team."""

from __future__ import annotations

from typing import Any

from zhucun.core.i18n import _l
from zhucun.core.mechanism import HomeItem
from zhucun.core.permissions import Role
from zhucun.home.work import has_role
from zhucun.selection.home import ForTerm
from zhucun.selection.matching import queries as matching_queries
from zhucun.selection.permissions import HELPER_READ

from . import queries

GROUP = _l("Selection and dispatch")


def items(ctx: Any) -> list[HomeItem]:
    """For each area the reader is granted and may read helpers in."""
    if not ctx.principal.can(HELPER_READ):
        return []
    # A dispatching unit's home counts its own cadres only: the county's households are not its.
    areas = sorted({g.division_code for g in ctx.principal.grants if g.division_code and g.role != Role.UNIT})
    found = []
    for area in areas:
        url = f"/selection/helpers?division={area}"
        without = queries.without_helper(ctx.session, area)
        found.append(
            HomeItem(
                _l("Households without a helper"), without, f"{url}&show=without", "warn" if without else "ok", GROUP
            )
        )
        if has_role(ctx, Role.ORG_DEPT):
            found += _org_department(ctx, area, url)
    return found


def _org_department(ctx: Any, area: str, url: str) -> list[HomeItem]:
    over = queries.over_cap(ctx.session, area)
    found = [HomeItem(_l("Helpers over the cap"), over, f"{url}&show=over", "alert" if over else "ok", GROUP)]
    term = matching_queries.latest_term(ctx.session, area)
    if term is not None:
        short = len(matching_queries.teams(ctx.session, area, term, incomplete=True))
        found.append(
            HomeItem(
                # Not the teams page's count (key villages whose team in post is short): this
                # one is the villages marked for the term, so the label names the term.
                ForTerm(_l("Villages marked for {year} without a complete team in post"), term),
                short,
                f"{url}&term={term}&show=teams",
                "alert" if short else "ok",
                GROUP,
            )
        )
    return found
