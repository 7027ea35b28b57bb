"""``zhucun demo``: generate the demo county, or a province or the country, with an account per role."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import _
from . import load as demo
from .generator import DEFAULT_HOUSEHOLDS
from .geography import CountySpec

app = typer.Typer()


@app.command("demo")
def demo_command(
    seed: Annotated[int, typer.Option(help="Random seed: the same seed and sizes give the same data")] = 1,
    villages: Annotated[
        int | None, typer.Option(min=1, help="Villages in all (about 200 a county); default: the demo county's own")
    ] = None,
    households: Annotated[int, typer.Option(min=0, help="Households in all, with their members")] = DEFAULT_HOUSEHOLDS,
    truth: Annotated[
        Path | None,
        typer.Option(
            help="Write where favouritism was planted to this JSON file (for tests; the application never reads it)",
        ),
    ] = None,
    if_empty: Annotated[bool, typer.Option("--if-empty", help="Do nothing when the database holds divisions")] = False,
) -> None:
    """Load the demo county (青岚县) with generated households and an account for each role."""
    from ..cli import clerk_errors, settings, system_session

    @clerk_errors
    def run() -> None:
        with system_session() as (session, actor):
            if demo.is_loaded(session) or (if_empty and demo.has_divisions(session)):
                typer.echo(_("The database already holds data; the demo was not loaded."))
                return
            summary = demo.load(
                session,
                actor=actor,
                settings=settings(),
                seed=seed,
                villages=villages,
                households=households,
                progress=_progress,
            )
        generation = summary.generation
        if truth is not None:
            truth.write_text(json.dumps(generation.truth(), ensure_ascii=False, indent=2), encoding="utf-8")
        typer.echo(
            _(
                "Demo county loaded: {divisions} divisions, {villages} villages, {groups} village groups, "
                "{accounts} accounts."
            ).format(
                divisions=summary.divisions, villages=summary.villages, groups=summary.groups, accounts=summary.accounts
            )
        )
        if generation.households:
            typer.echo(
                _(
                    "Generated {counties} counties: {households} households with {members} members, "
                    "{officials} village officials, {kin} declared kin, {benefits} benefits, "
                    "{cadres} cadres in work teams."
                ).format(counties=generation.counties, **generation.rows)
            )
            typer.echo(
                _("{seconds:.1f} s: {rate:,.0f} households/s, {members_rate:,.0f} members/s.").format(
                    seconds=generation.seconds, rate=generation.rate(), members_rate=generation.rate("members")
                )
            )

    run()


def _progress(spec: CountySpec, counties: int, rows: Counter, seconds: float) -> None:
    # A line per county only when there are several: the demo county alone is quick.
    if counties > 1:
        typer.echo(
            _(
                "County {number} of {counties}: {name} ({county}), {households} households so far, {seconds:.0f} s"
            ).format(
                number=spec.index + 1,
                counties=counties,
                name=spec.name,
                county=spec.prefix,
                households=rows["households"],
                seconds=seconds,
            )
        )
