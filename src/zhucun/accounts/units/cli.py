"""``zhucun registry units``: dispatching units at the command line — list them, register
one, pair it with a county. The operator acts as administrator everywhere; every change is
audited."""

from __future__ import annotations

from typing import Annotated

import typer

from zhucun import cli as root
from zhucun.accounts.units import queries as unit_queries
from zhucun.accounts.units import service as unit_service
from zhucun.accounts.units.schemas import UNIT_KIND, UNIT_LEVEL, PairingIn, UnitIn
from zhucun.core.i18n import _

app = typer.Typer(help="Dispatching units (派出单位)", no_args_is_help=True)

Search = Annotated[str | None, typer.Option("--q", help="Part of the name")]
LevelOpt = Annotated[str | None, typer.Option(help="central, provincial, city or county")]
KindOpt = Annotated[str | None, typer.Option(help="government, state_firm, public_institution or university")]


@app.command("list")
def list_units(q: Search = None, level: LevelOpt = None, kind: KindOpt = None) -> None:
    """List units: number, name, level, kind, seat and paired counties, tab-separated."""
    with root.system_session(write=False) as (session, _actor):
        pairings = unit_queries.pairings_of(session)
        for unit in unit_queries.stream(session, unit_queries.unit_statement(q=q, level=level, kind=kind)):
            paired = ",".join(p.division_code for p in pairings.get(unit.id, []))
            typer.echo(
                "\t".join(
                    [
                        str(unit.id),
                        unit.name,
                        UNIT_LEVEL.label(unit.level),
                        UNIT_KIND.label(unit.kind),
                        unit.division_code or "",
                        paired,
                    ]
                )
            )


@app.command("add")
def add_unit(
    name: Annotated[str, typer.Argument(help="The unit's full name")],
    level: Annotated[str, typer.Option(help="central, provincial, city or county (or 省级单位…)")],
    kind: Annotated[str, typer.Option(help="government, state_firm, public_institution or university")],
    seat: Annotated[str | None, typer.Option(help="The seat's 12-digit division code")] = None,
    pair: Annotated[list[str] | None, typer.Option(help="A paired county's code (repeatable)")] = None,
    reason: Annotated[str | None, typer.Option(help="Why the unit is registered")] = None,
) -> None:
    """Register a unit, with the counties it is paired with."""

    @root.clerk_errors
    def run() -> None:
        data = root.validated(
            UnitIn,
            {
                "name": name,
                "level": level,
                "kind": kind,
                "division_code": seat,
                "paired_counties": pair or [],
                "reason": reason,
            },
        )
        with root.system_session() as (session, actor):
            unit = unit_service.create_unit(session, actor=actor, data=data)
            typer.echo(_("Unit {number} registered: {name}").format(number=unit.id, name=unit.name))

    run()


@app.command("pair")
def pair_unit(
    unit: Annotated[int, typer.Argument(help="The unit's number")],
    county: Annotated[str, typer.Argument(help="The county's code (6 or 12 digits)")],
) -> None:
    """Pair a unit with a county (对口帮扶)."""

    @root.clerk_errors
    def run() -> None:
        data = root.validated(PairingIn, {"division_code": county})
        with root.system_session() as (session, actor):
            found = unit_service.access_unit(session, unit)
            unit_service.pair_county(session, actor=actor, unit=found, data=data)
            typer.echo(_("{name} is paired with {county}.").format(name=found.name, county=data.division_code))

    run()
