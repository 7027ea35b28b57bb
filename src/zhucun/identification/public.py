"""The public village notice pages, without login: the notices running and ended with names
and the facts the rules allow (never ID, phone, bank or health details), an objection form
(anonymous allowed, rate-limited per address), and a printable notice (A4 and phone) with
a QR code to the objection page, drawn by segno and served inline as SVG.

A notice is addressed by ``/public/notices/{county_code}/{notice_id}`` (its county routes the
lookup to one shard on Citus); the paths of before, which printed QR codes carry, answer 308."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import segno
from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.divisions.lookup import any_division

from ..core.addressing import CountyCode, href, moved, page
from ..core.deps import check_anonymous_csrf, client_ip, get_session, public, public_form
from ..core.errors import DomainError, NotFound
from ..core.pagination import int_id
from ..core.web import render
from ..divisions.models import Division
from ..procedures import service as procedures
from ..procedures.models import Notice
from . import labels, queries

router = APIRouter(include_in_schema=False)
RowId = Annotated[int, int_id(2**63 - 1)]
Village = Annotated[str, Path(pattern=r"^\d{12}$")]


def _village(session: Session, code: str) -> Division:
    # A public page has no reader's area: villages are public reference data.
    village = any_division(session, code)
    if village is None or village.level != "village":
        raise NotFound()
    return village


def _notice(session: Session, county_code: str, notice_id: int) -> Notice:
    # No reader's area on a public page: the county from the path is the whole predicate.
    found = select(Notice).where(Notice.county_code == county_code, Notice.id == notice_id)
    notice = session.scalars(found).one_or_none()
    if notice is None:
        raise NotFound()
    return notice


def _shown(session: Session, notice: Notice) -> Any:
    """The notice as the public sees it (through the same filter as the public API)."""
    return next(n for n in queries.notices_of(session, notice.village_code, date.today()) if n.id == notice.id)


@router.get("/public/villages/{code}/notices", dependencies=[public])
def village_notices(code: Village, request: Request, session: Session = Depends(get_session)) -> Response:
    village = _village(session, code)
    notices = queries.notices_of(session, code, date.today())
    context = {"village": village, "notices": notices, "labels": labels}
    return render(request, "identification/public_notices.html", context)


def _notice_context(session: Session, notice: Notice, request: Request) -> dict[str, Any]:
    return {
        "notice": _shown(session, notice),
        "village": _village(session, notice.village_code),
        "labels": labels,
        "step": queries.step_label_of(session, notice),
        "errors": {},
        "form": {},
        "received": False,
    }


@router.get("/public/notices/{county_code}/{notice_id}", dependencies=[public])
def notice_page(
    county_code: CountyCode, notice_id: RowId, request: Request, session: Session = Depends(get_session)
) -> Response:
    notice = _notice(session, county_code, notice_id)
    return render(request, "identification/public_notice.html", _notice_context(session, notice, request))


@router.post("/public/notices/{county_code}/{notice_id}", dependencies=[public_form()])
def object_by_form(
    county_code: CountyCode,
    notice_id: RowId,
    request: Request,
    session: Session = Depends(get_session),
    text: Annotated[str, Form(max_length=2000)] = "",
    name: Annotated[str, Form(max_length=50)] = "",
    contact: Annotated[str, Form(max_length=50)] = "",
    csrf_token: Annotated[str | None, Form(max_length=100)] = None,
) -> Response:
    """An objection from the public page (a name and a contact are optional)."""
    check_anonymous_csrf(request, csrf_token)
    notice = _notice(session, county_code, notice_id)
    form = {"text": text, "name": name, "contact": contact}
    status, errors = 200, {}
    if len(text.strip()) < 2:
        status, errors = 422, {"text": str(labels.OBJECTION_TEXT_REQUIRED)}
    else:
        try:
            procedures.object_to(
                session,
                notice=notice,
                text=text.strip(),
                name=name.strip() or None,
                contact=contact.strip() or None,
                address=client_ip(request),
                on=date.today(),
            )
        except DomainError as exc:
            status, errors = exc.status, {exc.field or "text": exc.message}
    context = {**_notice_context(session, notice, request), "errors": errors, "form": form, "received": not errors}
    return render(request, "identification/public_notice.html", context, status=status)


@router.get("/public/notices/{county_code}/{notice_id}/print", dependencies=[public])
def printable(
    county_code: CountyCode, notice_id: RowId, request: Request, session: Session = Depends(get_session)
) -> Response:
    """The notice to print on A4 (or read on a phone), with a QR code to the objection page."""
    notice = _notice(session, county_code, notice_id)
    target = str(request.base_url).rstrip("/") + href("notice", notice.county_code, notice.id)
    context = {**_notice_context(session, notice, request), "target": target, "qr": qr_svg(target)}
    return render(request, "identification/public_print.html", context)


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code (no image request, nothing from outside)."""
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(scale=4, title="QR", dark="#000"))


page("notice", Notice, "/public/notices")
# Printed QR codes carry the paths of before (/public/notices/{notice_id}): they answer 308.
moved(router, {"notice_id": Notice})
