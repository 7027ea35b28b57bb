"""Plans at the command line: the measure catalogue (list, add or relabel a kind)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Causes and plans (一户一策)", no_args_is_help=True)


@app.command("measure-kinds")
def measure_kinds() -> None:
    """List the measure catalogue with the causes each kind answers."""
    from ...cli import system_session
    from . import queries

    with system_session(write=False) as (session, _actor):
        for kind in queries.kinds(session):
            typer.echo(f"{kind.code}\t{kind.label_zh}\t{kind.label_en}\t{kind.causes}")


@app.command("measure-kind")
def measure_kind(
    code: str = typer.Argument(..., help="the kind's code (letters, digits, _)"),
    label_zh: str = typer.Option(..., "--zh", help="Chinese label"),
    label_en: str = typer.Option(..., "--en", help="English label"),
    causes: str = typer.Option("", "--causes", help="poverty cause codes it answers, comma-separated"),
    inactive: bool = typer.Option(False, "--inactive", help="no longer offered for new measures"),
) -> None:
    """Add a kind of measure to the catalogue, or change one (configuration, not a record)."""
    from ...cli import clerk_errors, system_session
    from . import service

    @clerk_errors
    def run() -> None:
        with system_session(write=True) as (session, actor):
            service.configure_kind(
                session,
                actor=actor,
                code=code,
                label_zh=label_zh,
                label_en=label_en,
                causes=causes,
                active=not inactive,
            )
        typer.echo(code)

    run()
