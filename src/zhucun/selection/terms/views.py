"""What the API and the pages both show: the reader's county and warning window, a posting
reached by (county, id) through the scope, a checklist with its ticks, a recall case, the lists."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from zhucun.core.deps import Ctx
from zhucun.core.errors import NotFound
from zhucun.core.scope import access, access_by
from zhucun.core.scope import get as scoped_get
from zhucun.divisions.models import Division
from zhucun.procedures.models import Case
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.cadres.service import access_cadre
from zhucun.selection.helpers.queries import default_area

from . import queries
from .models import Handover, ListEntry
from .recall import KIND, proposed, units_cadres
from .schemas import RecallOut
from .settings import HANDOVER, rules_for


def default_county(ctx: Ctx, county: str | None = None) -> str | None:
    """The county asked for (404 outside the scope), else the reader's own."""
    code = county or default_area(ctx.session, ctx.principal)
    if not code:
        return None
    access(ctx.session, Division, code)
    return code[:6] + "000000"


def county_and_days(ctx: Ctx, county: str | None, days: int | None) -> tuple[str | None, int]:
    code = default_county(ctx, county)
    if days is None:
        days = rules_for(ctx.session, (code or "00")[:2], date.today().year).warning_days
    return code, days


def county_in_scope(session: Session, county_code: str) -> Division:
    """A six-digit county code of a path, as its division (404 outside the scope)."""
    return access(session, Division, county_code + "000000" if len(county_code) == 6 else county_code)


def cadre(session: Session, county_code: str, cadre_id: int) -> Cadre:
    return access_by(session, Cadre, county_code=county_code, id=cadre_id)


def posting(session: Session, county_code: str, posting_id: int) -> tuple[CadrePosting, Cadre]:
    """A posting addressed by (county, id) and its cadre; both must lie in the scope."""
    found = access_by(session, CadrePosting, county_code=county_code, id=posting_id)
    return found, access_cadre(session, found.county_code, found.cadre_id)


def handover(session: Session, county_code: str, posting_id: int) -> dict[str, Any]:
    """The checklist of a posting (the province's items, none ticked, before it opens)."""
    found, cadre = posting(session, county_code, posting_id)
    row = scoped_get(session, Handover, (found.county_code, found.id))
    ticks = {t.item: t for t in queries.ticks_of(session, row)} if row else {}
    items = row.items if row else list(rules_for(session, county_code[:2], date.today().year).handover_items)
    return {
        "county_code": found.county_code,
        "posting_id": found.id,
        "cadre_id": cadre.id,
        "name": cadre.name,
        "village_code": found.village_code,
        "role": found.role,
        "end_date": found.end_date,
        "status": row.status if row else "not_opened",
        "opened_on": row.opened_on if row else None,
        "closed_on": row.closed_on if row else None,
        "closed_by": row.closed_by if row else None,
        "items": [
            {
                "item": item,
                "label": HANDOVER.label(item),
                "ticked_by": ticks[item].ticked_by if item in ticks else None,
                "ticked_at": ticks[item].ticked_at if item in ticks else None,
            }
            for item in items
        ],
    }


def recall_case(session: Session, county_code: str, case_id: int) -> Case:
    """A recall case in the scope; another unit's cadre's recall answers 404 like a missing one."""
    case = access_by(session, Case, county_code=county_code, id=case_id, kind=KIND)
    own = units_cadres(session, county_code)
    if own is not None and int(case.facts["cadre_id"]) not in own:
        raise NotFound()
    return case


def recall_out(ctx: Ctx, case: Case) -> RecallOut:
    """A recall as the API shows it; its replacement for whoever may post it."""
    from zhucun.selection.permissions import RECALL_PROPOSE

    out = RecallOut.model_validate(case, from_attributes=True)
    if ctx.principal.can(RECALL_PROPOSE):
        out.replacement = proposed(ctx.session, case)
    return out


def entry_row(entry: ListEntry, name: str) -> dict[str, Any]:
    return {
        "county_code": entry.county_code,
        "id": entry.id,
        "term": entry.term,
        "kind": entry.kind,
        "cadre_id": entry.cadre_id,
        "name": name,
        "reason": entry.reason,
        "source": entry.source,
    }


def list_rows(ctx: Ctx, term: int | None, kind: str | None, county: str | None = None) -> list[dict[str, Any]]:
    code = default_county(ctx, county)
    if code is None:
        return []
    return [entry_row(e, name) for e, name in queries.list_entries(ctx.session, [code[:6]], term, kind)]
