"""``zhucun selection helpers``: assign a county's helpers, read the coverage. The operator
acts as administrator everywhere."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from zhucun import cli as root
from zhucun.core.i18n import _
from zhucun.core.scope import access
from zhucun.divisions.models import Division

from . import queries, service

app = typer.Typer(help="Helpers for every household", no_args_is_help=True)


@app.command("assign")
def assign(county: Annotated[str, typer.Option("--county", help="A county code (12 digits)")]) -> None:
    """Give every household in care of the county one helper within the cap."""
    with root.system_session() as (session, actor):
        summary = service.assign_helpers(session, actor=actor, county=county)
    typer.echo(
        _(
            "{assigned} households given a helper, {kept} kept theirs, {without} without one ({helpers} helpers)."
        ).format(**summary)
    )


@app.command("coverage")
def coverage(
    division: Annotated[str, typer.Option("--division", help="A division code (12 digits)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Households in care, with a helper, without one, and helpers over the cap, per village and township."""
    with root.system_session(write=False) as (session, _actor):
        access(session, Division, division)
        report = queries.report(session, division)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    line = _(
        "{name}: {households} in care, {with_helper} with a helper, {without_helper} without, "
        "{helpers_over_cap} helpers over the cap"
    )
    for row in (*report["townships"], *report["villages"]):
        typer.echo(line.format(**row))
