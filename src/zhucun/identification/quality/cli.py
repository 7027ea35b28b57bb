"""``zhucun identification mpi``: multidimensional poverty of a division from the register."""

from __future__ import annotations

import json

import typer


def register_mpi(
    division: str = typer.Option(..., "--division", help="the division's code (a county, a township…)"),
    year: int | None = typer.Option(None, "--year", help="the year of incomes (default: the latest)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Alkire–Foster over the register's households: H, A, M0, censored headcounts and
    contributions for the division and each child division."""
    from zhucun.cli import clerk_errors, system_session
    from zhucun.core.scope import access
    from zhucun.divisions.models import Division

    from . import mpi

    @clerk_errors
    def run() -> None:
        with system_session(write=False) as (session, _actor):
            found = mpi.report(session, access(session, Division, division), year)
        if as_json:
            typer.echo(json.dumps(mpi.as_json(found), ensure_ascii=False))
            return
        typer.echo(f"{found.division.name}  {found.year}  k = {found.spec.k}")
        typer.echo(found.total.as_text().rsplit("\npoor:", 1)[0])
        typer.echo(f"{'division':<14} {'n':>7} {'H':>9} {'A':>9} {'M0':>9}")
        for r in found.children:
            res = r.result
            typer.echo(f"{r.code}  {res.n:>7} {float(res.H):9.4f} {float(res.A):9.4f} {float(res.M0):9.4f}  {r.name}")

    run()
