"""The monthly statement as .xlsx: one row per cadre (names, never codes), in yuan, with a
total row, written by ``core.export`` (text cells never read as formulas)."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response
from sqlalchemy.orm import Session

from zhucun.core import export
from zhucun.core.export import Column
from zhucun.core.i18n import _

from . import queries

AMOUNTS = ("work", "meals", "transport", "phone", "total")


def columns() -> list[Column]:
    headers = {
        "work": _("Work allowance"),
        "meals": _("Meals"),
        "transport": _("Transport"),
        "phone": _("Phone"),
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


def download(session: Session, found: dict[str, Any], name: str) -> Response:
    """The statement as an .xlsx download named ``name``-<month>."""
    return export.response("xlsx", f"{name}-{found['month']}", columns(), rows_with_total(session, found))
