"""``zhucun registry snapshot``: freeze a county's year, compare it with now or a later year."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import typer

from ...core.errors import Invalid
from ...core.i18n import _, _l
from ...core.scope import Scope
from ..reports import write_file
from . import queries, service
from .labels import COLUMNS, KIND_LABELS

app = typer.Typer(help="Yearly snapshots of a county's register (年度动态调整)", no_args_is_help=True)
CountyOpt = Annotated[str, typer.Option("--county", help="The county's code (6 or 12 digits)")]
YearOpt = Annotated[int, typer.Option("--year", help="The year frozen")]


def _county(code: str) -> str:
    if not re.fullmatch(r"\d{6}(\d{6})?", code):
        raise Invalid(_l("Give the county's code, 6 or 12 digits."), field="county", code="bad_county")
    return code[:6]


@app.command("freeze")
def freeze(
    county: CountyOpt,
    year: YearOpt,
    reason: Annotated[str | None, typer.Option("--reason", help="Why (required to replace)")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="Replace the year if already frozen")] = False,
) -> None:
    """Freeze the county's register as the year's snapshot (once a year)."""
    from ...cli import clerk_errors, system_session

    @clerk_errors
    def run() -> None:
        with system_session() as (session, actor):
            snapshot = service.freeze(
                session, actor=actor, county=_county(county), year=year, reason=reason, replace=replace
            )
        typer.echo(
            _("Frozen {county} {year}: {households} households, {members} members on the roll.").format(
                county=snapshot.county_code,
                year=snapshot.year,
                households=snapshot.households,
                members=snapshot.members,
            )
        )

    run()


@app.command("compare")
def compare(
    county: CountyOpt,
    year: YearOpt,
    against: Annotated[str, typer.Option("--with", help="current, or a later frozen year")] = "current",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write every change to this .csv or .xlsx file")
    ] = None,
) -> None:
    """Count the changes since the year was frozen, per village; list them in a file."""
    from ...cli import clerk_errors, system_session

    @clerk_errors
    def run() -> None:
        code = _county(county)
        if not re.fullmatch(r"current|\d{4}", against):
            raise Invalid(_l("Compare with a later year or with the current register."), field="with")
        with system_session(write=False) as (session, _actor):
            scope = Scope.everywhere()
            later = queries.later_year(session, scope, code, year, against)
            found = queries.compare(session, scope, code, year, later)
            for village in found.villages:
                counts = "  ".join(f"{KIND_LABELS[k]} {village[k]}" for k in queries.KINDS if village[k])
                typer.echo(f"{village['village_code']} {village['village_name'] or ''}  {counts}")
            typer.echo(_("Total") + ": " + "  ".join(f"{KIND_LABELS[k]} {found.totals[k]}" for k in queries.KINDS))
            if output:
                write_file(output, COLUMNS, queries.stream(session, scope, code, year, later))
                typer.echo(_("Written to {path}.").format(path=output))

    run()
