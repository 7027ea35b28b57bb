"""``zhucun demo``: load the demo county."""

from __future__ import annotations

from typing import Annotated

import typer

from ..core.i18n import _
from . import load as demo

app = typer.Typer()


@app.command("demo")
def demo_command(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same county")] = 1,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing when the database holds divisions")] = False,
) -> None:
    """Load the demo county (青岚县) with an account for each role."""
    from ..cli import clerk_errors, settings, system_session

    @clerk_errors
    def run() -> None:
        with system_session() as (session, actor):
            if demo.is_loaded(session) or (if_empty and demo.has_divisions(session)):
                typer.echo(_("The database already holds data; the demo was not loaded."))
                return
            summary = demo.load(session, actor=actor, settings=settings(), seed=seed)
        typer.echo(_("Demo county loaded: {divisions} divisions, {villages} villages, {groups} village groups, "
                     "{accounts} accounts.").format(**summary.__dict__))

    run()
