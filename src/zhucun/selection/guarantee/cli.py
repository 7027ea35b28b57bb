"""``zhucun selection guarantee``: a unit's monthly statement as .xlsx, the accident
insurance ending soon in a county. The operator acts as administrator everywhere."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from zhucun import cli as root
from zhucun.accounts.units.models import Unit
from zhucun.core import export
from zhucun.core.i18n import _
from zhucun.core.scope import access

from . import queries, statements

app = typer.Typer(help="Incentive and guarantee", no_args_is_help=True)
insurance = typer.Typer(help="Accident insurance policies", no_args_is_help=True)
app.add_typer(insurance, name="insurance")


@app.command("statement")
@root.clerk_errors
def statement(
    unit: Annotated[int, typer.Option("--unit", help="A dispatching unit's id")],
    month: Annotated[str, typer.Option("--month", help="The month, as 2026-11")],
    county: Annotated[str | None, typer.Option("--county", help="Only this county (6 or 12 digits)")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="The .xlsx file to write")] = None,
) -> None:
    """Write a dispatching unit's monthly statement (allowances per cadre) as .xlsx."""
    first = queries.parse_month(month)
    with root.system_session(write=False) as (session, _actor):
        found = access(session, Unit, unit)
        counties = [county[:6]] if county else queries.unit_counties(session, found.id, first)
        rows = [r for c in counties for r in queries.statement(session, c, first, unit_id=found.id)["rows"]]
        named = statements.rows_with_total(session, {"rows": rows})
        sheet, title = statements.heading(session, counties, first, found.name)
    target = out or Path(f"statement-unit-{unit}-{first:%Y-%m}.xlsx")
    export.write_xlsx(str(target), statements.columns(), named, sheet=sheet, title=title)
    typer.echo(_("{n} cadres written to {path}.").format(n=len(rows), path=target))


@insurance.command("expiring")
@root.clerk_errors
def expiring(
    county: Annotated[str, typer.Option("--county", help="A county code (6 or 12 digits)")],
    days: Annotated[int | None, typer.Option("--days", help="Warning days (default: the province's, 30)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the policies as JSON")] = False,
) -> None:
    """Accident insurance policies ending within the warning days and not yet renewed."""
    today = date.today()
    with root.system_session(write=False) as (session, _actor):
        code = queries.default_county(session, None, county)
        assert code is not None
        found = queries.expiring(session, code, today, days)
        names = queries.cadre_names(session, code, [p.cadre_id for p in found])
    rows = [
        {
            "cadre_id": p.cadre_id,
            "cadre": names.get(p.cadre_id, ""),
            "insurer": p.insurer,
            "number": p.number,
            "ends_on": p.ends_on.isoformat(),
            "days_left": (p.ends_on - today).days,
        }
        for p in found
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for row in rows:
        typer.echo(_("{cadre}: {insurer} {number} ends on {ends_on} ({days_left} days)").format(**row))
    typer.echo(_("{n} policies ending soon.").format(n=len(rows)))
