"""The area a report covers. The monitoring signals, the exit indicators, the MPI, the
targeting report and the households by village read it by one rule, and their pages choose
it with one picker (the division picker of ``macros.html`` over ``/divisions/pick``, a
``division`` query field):

1. the division chosen, in the reader's area (404 outside it, as for any division);
2. else the reader's own area for this report: the widest division among the grants whose
   role holds the route's permission (a province reader reads the province);
3. else, for a reader of the whole country, the first county of the register: a report is
   computed per area, and the whole country at once is not a page.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.auth import Principal
from zhucun.core.codes import prefix_of
from zhucun.core.deps import Ctx
from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l
from zhucun.core.permissions import role_has

from .models import Division
from .queries import access_division

CHOOSE = _l("Choose a division (a county, a township or a village).")
SHORT_CODES = (6, 9)  # a county's or a township's significant digits, as the command line takes them


def report_area(ctx: Ctx, division: str | None, permission: str | None = None) -> Division:
    """The division the report covers (see the module's rule); ``permission``: the report's,
    when the route's own is another (the home page's items)."""
    code = division or own_division(ctx.principal, permission or ctx.permission) or first_county(ctx.session)
    if not code:
        raise Invalid(CHOOSE, field="division", code="division_missing")
    return access_division(ctx.session, code.ljust(12, "0") if len(code) in SHORT_CODES else code)


def own_division(principal: Principal, permission: str) -> str | None:
    """The widest division of the grants that hold ``permission``; None when one of them
    covers the whole country (or none names a division)."""
    codes = [g.division_code for g in principal.grants if role_has(g.role, permission)]
    if not codes or any(code is None for code in codes):
        return None
    return min((c for c in codes if c), key=lambda c: (len(prefix_of(c)), c))


def first_county(session: Session) -> str | None:
    """The first county the (scoped) session sees."""
    return session.scalar(select(Division.code).where(Division.level == "county").order_by(Division.code).limit(1))
