"""``zhucun registry duplicates``: the duplicate registrations report, for an operator."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import Invalid
from ...core.i18n import _, _l
from ...core.scope import Scope
from ..reports import write_file
from . import queries
from .exports import COLUMNS

app = typer.Typer(
    help="Duplicate registrations (一人多户): one ID number on the roll more than once", no_args_is_help=True
)


@app.command("report")
def report(
    area: Annotated[str | None, typer.Option("--area", help="A division code: its area only")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="within (one county) or across (counties)")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the registrations to this .csv or .xlsx file")
    ] = None,
) -> None:
    """How many ID numbers are registered more than once, and (with --output) all their registrations."""
    from ...cli import clerk_errors, system_session

    @clerk_errors
    def run() -> None:
        if kind not in (None, queries.WITHIN, queries.ACROSS):
            raise Invalid(_l("The kind is “within” or “across”."), field="kind", code="bad_kind")
        if area is not None and not (area.isdigit() and len(area) == 12):
            raise Invalid(_l("A division code has 12 digits."), field="area", code="bad_area")
        with system_session(write=False) as (session, _actor):
            total, across = queries.summary(session, Scope.everywhere(), area=area)
            typer.echo(
                _(
                    "{total} ID numbers are on the roll more than once; {across} of them in more than one county."
                ).format(total=total, across=across)
            )
            if output:
                write_file(output, COLUMNS, queries.stream(session, Scope.everywhere(), area=area, kind=kind))
                typer.echo(_("Written to {path}.").format(path=output))

    run()
