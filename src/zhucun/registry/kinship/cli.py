"""``zhucun registry kin``: a resident's relatives, for an operator checking a case."""

from __future__ import annotations

from typing import Annotated

import typer

from ...core.i18n import _
from ..service import access_member
from . import present

app = typer.Typer(help="Kinship between residents (亲属关系)", no_args_is_help=True)


@app.command("relatives")
def relatives(
    member_id: Annotated[int, typer.Argument(help="The resident's member number", min=1)],
    degree: Annotated[int | None, typer.Option("--degree", help="Steps to follow", min=1)] = None,
    county: Annotated[
        str | None, typer.Option("--county", help="The resident's county (six digits): looks in that county only")
    ] = None,
) -> None:
    """List a resident's relatives up to a degree, with the path to each."""
    from ...cli import clerk_errors, settings, system_session

    @clerk_errors
    def run() -> None:
        steps = present.degree_of(settings(), degree)
        with system_session(write=False) as (session, _actor):
            found = present.relatives(session, access_member(session, county, member_id), steps)
        for r in found.items:
            typer.echo(f"{r.degree}  {r.name}  {r.path_text}  {r.household_no}  {r.village_code}  #{r.member_id}")
        typer.echo(_("{n} relatives within {degree} steps.").format(n=len(found.items), degree=steps))

    run()
