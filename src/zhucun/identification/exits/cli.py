"""``zhucun identification exit-indicators``: the exit indicators of a division, from the register."""

from __future__ import annotations

import json

import typer


def exit_indicators(
    division: str = typer.Option(..., "--division", help="the division's code (a county, a township…)"),
    year: int | None = typer.Option(None, "--year", help="the year of incomes (default: the latest)"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Poverty incidence per village against the exit line, wrongly exited and missed
    households, public approval: computed from the register, never typed in."""
    from zhucun.cli import clerk_errors, system_session
    from zhucun.core.scope import Area, access
    from zhucun.divisions.models import Division

    from . import queries

    @clerk_errors
    def run() -> None:
        with system_session(write=False) as (session, _actor):
            place = access(session, Division, division)
            area = Area.of(place.code)
            villages = queries.villages(session, area)
            found = queries.indicators(session, area, villages, place.code[:2], place.is_western, year)
        if as_json:
            data = {"division": place.code, "indicators": found.as_json(), "villages": [v.as_json() for v in villages]}
            typer.echo(json.dumps(data, ensure_ascii=False))
            return
        typer.echo(f"{place.name}  {found.year}  incidence {found.incidence:.2%} (line {found.threshold:.0%})")
        for label, part, whole, share in (
            ("wrongly exited", found.wrongly_exited, found.exited, found.wrong_rate),
            ("missed", found.missed, found.not_registered, found.missed_rate),
            ("approval", found.votes_for, found.votes_cast, found.approval),
        ):
            typer.echo(f"{label:<16} {part:>6}/{whole:<6} {'—' if share is None else f'{share:.2%}'}")
        typer.echo("meets the exit standard" if found.meets else "does not meet the exit standard")
        for v in villages:
            verdict = "meets" if v.meets else "misses"
            typer.echo(f"{v.code}  {v.name:<12} {v.poor_people:>5}/{v.people:<6} {v.incidence:7.2%}  {verdict}")

    run()
