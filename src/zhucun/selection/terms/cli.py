"""``zhucun selection terms``: the terms ending within a window, and the rotation of a county's
ended terms. The operator acts as administrator everywhere."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer

from zhucun import cli as root
from zhucun.core.i18n import _
from zhucun.divisions.queries import access_county

from . import queries, service
from .settings import rules_for

app = typer.Typer(help="Terms, rotation and recall", no_args_is_help=True)
County = Annotated[str, typer.Option("--county", help="A county code (12 digits)")]


@app.command("ending")
def ending(
    county: County,
    days: Annotated[int | None, typer.Option("--days", help="The window in days (default: the province's)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the terms as JSON")] = False,
) -> None:
    """Open postings of the county whose term ends within the window, the soonest first."""
    with root.system_session(write=False) as (session, _actor):
        access_county(session, county)
        window = days if days is not None else rules_for(session, county[:2], date.today().year).warning_days
        rows = queries.ending(session, county, window)
    if as_json:
        typer.echo(json.dumps({"county": county, "days": window, "items": rows}, ensure_ascii=False, default=str))
        return
    for r in rows:
        typer.echo(
            _("{name}: {village}, term ends on {end} ({days} days)").format(
                name=r["name"], village=r["village_code"], end=r["term_end"], days=r["days_left"]
            )
        )
    typer.echo(_("{n} terms end within {days} days.").format(n=len(rows), days=window))


@app.command("rotate")
def rotate(
    county: County,
    term: Annotated[int, typer.Option("--term", help="The term (the year it started)")],
) -> None:
    """End the county's postings of the term that have reached their end, release the cadres,
    mark their villages for the next term and open the handover checklists."""
    with root.system_session() as (session, actor):
        summary = service.rotate(session, actor=actor, county=county, term=term, on=date.today())
    typer.echo(
        _("{ended} postings of the term {term} ended; {villages} villages marked for the term {next_term}.").format(
            ended=summary["ended"], term=term, villages=len(summary["marked"]), next_term=summary["next_term"]
        )
    )
