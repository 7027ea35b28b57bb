"""Command line: ``zhucun identification signals`` and ``zhucun identification sweep``.

They belong to the ``identification`` group, whose Typer app the identification package
owns; importing this module (the monitoring manifest names it) adds them to that app, so
that the two packages do not mount two groups of one name."""

from __future__ import annotations

import json
from datetime import date, datetime

import typer

from zhucun.identification.cli import app as identification_app

from . import present, signals

commands = typer.Typer(add_completion=False)  # nothing of its own: the commands join the group


def _day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date; write it as 2026-12-04") from None


@identification_app.command("signals")
def signals_command(
    division: str = typer.Option(..., "--division", help="the division's code (a county, a township, a village)"),
    year: int | None = typer.Option(None, "--year", min=2015, max=2100, help="the year of the incomes"),
    as_json: bool = typer.Option(False, "--json", help="print JSON"),
) -> None:
    """Households with a return-to-poverty signal (income, unavoidable spending, alerts)."""
    from zhucun.cli import clerk_errors, system_session
    from zhucun.core.scope import access
    from zhucun.divisions.models import Division

    from . import queries

    @clerk_errors
    def run() -> None:
        today = date.today()
        with system_session(write=False) as (session, _actor):
            place = access(session, Division, division.ljust(12, "0") if len(division) in (6, 9) else division)
            chosen = year or queries.default_year(today)
            found = signals.compute(session, place.code, signals.Settings.of(chosen), today)
            rows = present.rows(session, found)
        settings = found.settings
        head = {"year": settings.year, "line": settings.line, "share": settings.share}
        head |= {"households": found.counts["households"], "total": len(found)}
        if as_json:
            typer.echo(json.dumps({**head, "items": present.as_json(rows)}, ensure_ascii=False))
            return
        for r in rows:
            income = "—" if r.income_per_head is None else f"{r.income_per_head:,.0f}"
            number = r.household_no or r.household_id
            typer.echo(f"{number}  {r.head_name or ''}  {income:>9}  {','.join(r.signals)}  {r.state}")
        typer.echo(f"{head['total']} / {head['households']}")

    run()


@identification_app.command("sweep")
def sweep_command(
    on: str | None = typer.Option(None, "--on", help="the day to sweep as (YYYY-MM-DD; default today)"),
    division: str = typer.Option("", "--division", help="limit the sweep to a division (default: everywhere)"),
) -> None:
    """Escalate every open monitoring case past its statutory clock to the next level."""
    from zhucun.cli import clerk_errors, system_session
    from zhucun.divisions.models import Division

    from . import service

    day = _day(on)

    @clerk_errors
    def run() -> None:
        from sqlalchemy import select

        with system_session() as (session, actor):
            codes = (
                [division.ljust(12, "0") if len(division) in (6, 9) else division]
                if division
                else list(
                    session.scalars(select(Division.code).where(Division.level == "county").order_by(Division.code))
                )
            )
            total = [service.sweep(session, actor=actor, division=code, on=day) for code in codes]
        for swept in total:
            for case_id, level in swept.escalated:
                typer.echo(f"{case_id}  → {level}")
        typer.echo(f"{sum(s.checked for s in total)} checked, {sum(len(s.escalated) for s in total)} escalated")

    run()
