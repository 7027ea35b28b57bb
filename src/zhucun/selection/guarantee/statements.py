"""The monthly statement as .xlsx: a sheet named by its month and whom it covers, title lines
saying so (the unit or cadre, the month, the county), then one row per cadre (names, never
codes), in yuan, with a total row, written by ``core.export`` (text cells never formulas)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from fastapi.responses import Response
from sqlalchemy.orm import Session

from zhucun.core import export
from zhucun.core.export import Column
from zhucun.core.i18n import _
from zhucun.core.naming import Names

from . import queries, rules

AMOUNTS = ("work", "meals", "transport", "phone", "total")


def columns() -> list[Column]:
    headers = {
        "work": _("Work allowance"),
        "meals": _("Meals"),
        "transport": _("Transport"),
        # The phone allowance (通讯补贴), not a phone number.
        "phone": _("Phone allowance"),
        "total": _("Total (yuan)"),
    }
    return [
        Column(_("Cadre"), lambda r: r["name"]),
        Column(_("Dispatching unit"), lambda r: r["unit"]),
        Column(_("Village"), lambda r: r["village"]),
        Column(_("Days in the village"), lambda r: r["days"]),
        *(Column(headers[k], (lambda key: lambda r: r[key])(k)) for k in AMOUNTS),
    ]


def rows_with_total(session: Session, found: dict[str, Any]) -> list[dict[str, Any]]:
    rows = queries.with_names(session, found["rows"])
    if rows:
        total: dict[str, Any] = {"name": _("Total"), "unit": "", "village": "", "days": sum(r["days"] for r in rows)}
        total.update({k: sum(r[k] for r in rows) for k in AMOUNTS})
        rows.append(total)
    return rows


def heading(session: Session, counties: Iterable[str], month: date, who: str | None = None) -> tuple[str, list[str]]:
    """The sheet's name and its title lines: whom it covers (a unit, a cadre, else the
    county), the month and its official working days, the county or counties."""
    names = Names(session)
    places = "、".join(names.division(c[:6] + "000000") for c in counties) or "-"
    subject = who or places
    title = [
        _("Monthly allowances of cadres posted to villages: {subject}").format(subject=subject),
        _("Month: {month} ({workdays} official working days) · County: {county}").format(
            month=f"{month:%Y-%m}", workdays=int(rules.workday_mask(month).sum()), county=places
        ),
    ]
    return f"{month:%Y-%m} {subject}", title


def download(session: Session, found: dict[str, Any], name: str, who: str | None = None) -> Response:
    """The statement as an .xlsx download named ``name``-<month>, its sheet and title saying
    which month and whom (``who``: the unit's or the cadre's name; else the county's)."""
    month = date.fromisoformat(f"{found['month']}-01")
    sheet, title = heading(session, [found["county"]], month, who)
    return export.response(
        "xlsx", f"{name}-{found['month']}", columns(), rows_with_total(session, found), sheet=sheet, title=title
    )
