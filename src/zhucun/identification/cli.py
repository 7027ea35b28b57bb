"""Command line: ``zhucun mpi`` (Alkire–Foster over any CSV file)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from . import mpi

mpi_app = typer.Typer(add_completion=False)


@mpi_app.command("mpi")
def run_mpi(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV: one row per unit, a column per indicator"),
    cutoff: list[str] = typer.Option(..., "--cutoff", help="COL=VALUE: deprived when strictly below VALUE"),
    weight: list[str] = typer.Option([], "--weight", help="COL=VALUE (fractions such as 1/6 allowed)"),
    k: str = typer.Option(..., "--k", help="poverty cut-off as a share of the weighted total (0.5 or 1/2)"),
    id_column: str | None = typer.Option(None, "--id", help="the column naming each unit"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Alkire–Foster: H, A, M0, censored headcounts and contributions, with exact weights and k."""
    try:
        table = mpi.read_csv(file)
        spec = mpi.spec_of(cutoff, weight, k)
        result = mpi.measure(table, spec, id_column)
    except mpi.MpiError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(2) from None
    typer.echo(json.dumps(result.as_json(), ensure_ascii=False) if as_json else result.as_text())


app = typer.Typer(help="Identification and monitoring (识别与监测)", no_args_is_help=True)


@app.command("favouritism")
def favouritism_command(
    division: str = typer.Option(..., "--division", help="the division's code (a county, a township…)"),
    degree: int | None = typer.Option(None, "--degree", min=1, max=4, help="kinship steps to follow"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Rank the villages by the officials' relatives' excess share of assistance (优亲厚友)."""
    from datetime import date

    from ..cli import clerk_errors, settings, system_session
    from ..core.scope import Area, access
    from ..divisions.models import Division
    from . import favouritism

    @clerk_errors
    def run() -> None:
        steps = degree or settings().kin_default_degree
        with system_session(write=False) as (session, _actor):
            place = access(session, Division, division)
            found = favouritism.report(
                session,
                Area.of(place.code),
                steps,
                favouritism.since_default(date.today(), settings().kin_official_years),
            )
        if as_json:
            typer.echo(json.dumps([v.as_json() for v in found], ensure_ascii=False))
            return
        for v in found:
            typer.echo(
                f"{v.village_code}  {v.score:8.2f}  {v.relatives_households:>5}/{v.households:<5}"
                f"  {v.assisted_relatives:>4}/{v.assisted:<4}  {v.benefit_share:6.1%}"
            )

    run()


def _reports() -> None:
    """The register's measures (exit indicators, MPI) live in their packages; listed here."""
    from .exits.cli import exit_indicators
    from .quality.cli import register_mpi

    app.command("exit-indicators")(exit_indicators)
    app.command("mpi")(register_mpi)


_reports()
