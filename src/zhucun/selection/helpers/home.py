"""The helpers' item on the home page: households in care without a helper, in the reader's
area, opening the coverage page."""

from __future__ import annotations

from typing import Any

from zhucun.core.i18n import _l
from zhucun.core.mechanism import HomeItem
from zhucun.selection.permissions import HELPER_READ

from . import queries


def items(ctx: Any) -> list[HomeItem]:
    """Households without a helper, for each area the reader is granted and may read helpers in."""
    if not ctx.principal.can(HELPER_READ):
        return []
    areas = sorted({g.division_code for g in ctx.principal.grants if g.division_code})
    return [
        HomeItem(
            _l("Households without a helper"),
            queries.without_helper(ctx.session, area),
            f"/selection/helpers?division={area}",
            "warn",
            _l("Selection and dispatch"),
        )
        for area in areas
    ]
