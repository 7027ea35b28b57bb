"""The identification items of the home page: what waits for the reader, each a count that
opens the filtered case list behind it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from ..core.deps import Ctx
from ..core.i18n import _l
from ..core.mechanism import HomeItem
from ..procedures.definitions import BODIES, Procedure
from ..procedures.models import Case, CaseSignature, Objection, ProcedureVersion
from . import queries
from .permissions import CASE_ACT, CASE_READ

# How far back objections count as "received" on the home page (a configurable default).
OBJECTION_DAYS = 30


def _count(ctx: Ctx, statement: Any) -> int:
    return ctx.session.scalar(select(func.count()).select_from(statement.subquery())) or 0


def _dual_steps(ctx: Ctx) -> set[str]:
    keys: set[str] = set()
    for (definition,) in ctx.session.execute(select(ProcedureVersion.definition)):
        keys |= {s.key for s in Procedure.from_data(definition).steps if s.dual}
    return keys


def to_sign(ctx: Ctx, today: date) -> int:
    """Open, unrelated cases at a dual step that the reader's body may sign and the reader
    has not signed in the current round."""
    roles = {g.role.value for g in ctx.principal.grants}
    if not any(roles & members for members in BODIES.values()):
        return 0
    mine = (
        select(CaseSignature.case_id)
        .where(
            CaseSignature.county_code == Case.county_code,
            CaseSignature.case_id == Case.id,
            CaseSignature.round == Case.round,
            CaseSignature.account_id == ctx.principal.user_id,
        )
        .exists()
    )
    statement = select(Case.id).where(
        Case.status == "open", Case.step.in_(_dual_steps(ctx)), Case.related.is_(False), ~mine
    )
    return _count(ctx, statement)


def items(ctx: Ctx) -> list[HomeItem]:
    """The identification items the reader may see."""
    if not ctx.principal.can(CASE_READ):
        return []
    today, session = date.today(), ctx.session
    out: list[HomeItem] = []
    group = _l("Identification and monitoring")
    if ctx.principal.can(CASE_ACT):
        dual = sorted(_dual_steps(ctx))
        url = f"/identification/cases?step={dual[0]}" if len(dual) == 1 else "/identification/cases"
        out.append(HomeItem(_l("Cases waiting for your signature"), to_sign(ctx, today), url, "warn", group))
    ending = queries.case_filters(session, today=today, notice="ending")
    out.append(
        HomeItem(_l("Notices ending soon"), _count(ctx, ending), "/identification/cases?notice=ending", "", group)
    )
    since = today.toordinal() - OBJECTION_DAYS
    received = select(Objection.id).where(Objection.received_at >= date.fromordinal(since))
    out.append(
        HomeItem(
            _l("Objections received"),
            _count(ctx, received),
            "/identification/cases?objected=1&status=all",
            "warn",
            group,
        )
    )
    for late, label in (("orange", _l("Clocks turning orange")), ("red", _l("Clocks red"))):
        statement = queries.case_filters(session, today=today, late=late)
        tone = "alert" if late == "red" else "warn"
        out.append(HomeItem(label, _count(ctx, statement), f"/identification/cases?late={late}", tone, group))
    return out
