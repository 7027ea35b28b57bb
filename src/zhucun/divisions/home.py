"""A township's home page: its villages, opening the township's page with the list of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from ..core.i18n import _l
from ..core.mechanism import HomeItem
from ..core.permissions import DIVISION_READ, Role
from ..home.work import scoped
from .models import Division


def items(ctx: Any) -> list[HomeItem]:
    townships = sorted({g.division_code for g in ctx.principal.grants if g.role == Role.TOWNSHIP and g.division_code})
    if not townships:
        return []
    with scoped(ctx, DIVISION_READ) as session:
        counts = dict(
            session.execute(
                select(Division.parent_code, func.count())
                .where(Division.level == "village", Division.parent_code.in_(townships))
                .group_by(Division.parent_code)
            ).all()
        )
    return [
        HomeItem(_l("Villages"), counts.get(code, 0), f"/divisions/{code}", "", _l("Our township"))
        for code in townships
    ]
