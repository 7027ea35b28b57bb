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
