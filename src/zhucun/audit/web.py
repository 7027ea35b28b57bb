"""Audit trail pages: entries read as sentences, filtered by a labelled action picker,
each naming and linking what it changed and opening onto its before and after; exports of
what the filters show."""

from __future__ import annotations

from datetime import date
from itertools import islice
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from fastapi.responses import Response
from sqlalchemy import select

from ..core import export as exporting
from ..core import pickers, present
from ..core.deps import Ctx, permit
from ..core.disclosure import record_list_export
from ..core.errors import Invalid
from ..core.i18n import _l
from ..core.mechanism import manifests
from ..core.models import User
from ..core.permissions import AUDIT_READ, AUDIT_VERIFY
from ..core.web import redirect, render
from . import queries, service

router = APIRouter(include_in_schema=False)
Text = Annotated[str | None, Query(max_length=150)]


def _filters(
    action: Annotated[str | None, Query(max_length=80)] = None,
    entity: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[str | None, Query(max_length=80)] = None,
    actor: Text = None,
    since: date | None = None,
    until: date | None = None,
) -> queries.Filters:
    return queries.Filters(action, entity, entity_id, actor, since, until)


def action_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """The labelled actions for the picker, grouped by the mechanism that records them."""
    present.load()
    labels = {m.name: str(m.label) for m in manifests()}
    groups: dict[str, list[tuple[str, str]]] = {}
    for tag, action in present.ACTIONS.items():
        mechanism = present.SOURCES.get(tag, "").split(".")[1:2] or [""]
        groups.setdefault(labels.get(mechanism[0], mechanism[0]), []).append((tag, str(action.label)))
    return [(group, sorted(items, key=lambda item: item[1])) for group, items in groups.items()]


@router.get("/audit")
def entries(
    ctx: Ctx = permit(AUDIT_READ),
    action: Annotated[str | None, Query(max_length=80)] = None,
    entity: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[str | None, Query(max_length=80)] = None,
    actor: Text = None,
    actor__q: Annotated[str | None, Query(max_length=50)] = None,
    since: date | None = None,
    until: date | None = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    errors: dict[str, str] = {}
    try:
        picked = _actor(ctx, actor, actor__q)
    except Invalid as exc:
        picked, errors["actor"] = None, exc.message
    if picked and not actor:
        # A typed name resolved: the address carries the account, so the export filters alike.
        query = {k: v for k, v in ctx.request.query_params.items() if k not in ("actor", "cursor")}
        return redirect(f"/audit?{urlencode({**query, 'actor': picked})}")
    filters = _filters(action, entity, entity_id, actor, since, until)
    items, next_cursor = queries.list_entries(ctx.session, filters, cursor=cursor)
    return render(
        ctx.request,
        "audit/entries.html",
        {
            "items": present.tell(ctx.session, items, can=ctx.principal.can),
            "total": queries.count_entries(ctx.session, filters),
            "groups": action_groups(),
            "next_cursor": next_cursor,
            "filters": filters,
            "errors": errors,
            "typed_actor": actor__q,
            "can_verify": ctx.principal.can(AUDIT_VERIFY),
        },
    )


def _people(ctx: Ctx, text: str, *, exact: bool) -> list[tuple[str, str]]:
    """(account name, person's name) of the accounts of the reader's area named like ``text``."""
    name = User.display_name == text if exact else User.display_name.contains(text, autoescape=True)
    found = select(User.username, User.display_name).where(name | (User.username == text)).limit(12)
    return [(username, display) for username, display in ctx.session.execute(found.order_by(User.display_name))]


def _actor(ctx: Ctx, actor: str | None, typed: str | None) -> str | None:
    """The account the picker chose, or the one whose person is named exactly what was typed."""
    if actor or not (typed or "").strip():
        return actor or None
    form = {"actor": "", "actor__q": typed or ""}
    return pickers.resolve(form, "actor", lambda text: [(u, n) for u, n in _people(ctx, text, exact=True)])


@router.get("/audit/people")
def people(ctx: Ctx = permit(AUDIT_READ)) -> Response:
    """The "who" picker's matches: people of the reader's area by part of their name."""
    text = pickers.typed(ctx.request)
    found = _people(ctx, text, exact=False) if text else []
    picks = [{"code": username, "label": display, "detail": ""} for username, display in found]
    return render(ctx.request, "_picks.html", {"picks": picks, "typed": text})


COLUMNS = [
    exporting.Column(_l("Entry"), lambda t: t.row.ref),
    exporting.Column(_l("When"), lambda t: t.row.at),
    exporting.Column(_l("Who"), lambda t: t.description.actor),
    exporting.Column(_l("Action"), lambda t: t.action),
    exporting.Column(_l("Object"), lambda t: t.object),
    exporting.Column(_l("What happened"), lambda t: t.description.text),
    exporting.Column(_l("Why"), lambda t: t.row.reason),
]


def _told(ctx: Ctx, filters: queries.Filters) -> Any:
    # Names are looked up a batch at a time, as the page does for its 50 entries.
    rows = queries.stream(ctx.session, filters)
    while batch := list(islice(rows, 500)):
        yield from present.tell(ctx.session, batch)


@router.get("/audit/export.{fmt}")
def export(
    fmt: Literal["csv", "xlsx"],
    ctx: Ctx = permit(AUDIT_READ),
    action: Annotated[str | None, Query(max_length=80)] = None,
    entity: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[str | None, Query(max_length=80)] = None,
    actor: Text = None,
    since: date | None = None,
    until: date | None = None,
) -> Response:
    """The entries the filters select, as the page words them: the trail keeps numbers
    masked or as digests, so the export has nothing to unmask."""
    filters = _filters(action, entity, entity_id, actor, since, until)
    record_list_export(ctx, "audit_entries", filters.shown())
    return exporting.response(fmt, "audit", COLUMNS, _told(ctx, filters))


@router.get("/audit/verify")
def verify(ctx: Ctx = permit(AUDIT_VERIFY)) -> Response:
    result = service.verify_for(ctx.db, ctx.scope)
    service.record_check(ctx.session, actor=ctx.principal, result=result)
    return render(ctx.request, "audit/verify.html", {"result": result})
