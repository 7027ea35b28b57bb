"""``zhucun registry``: dispatching units and cadres at the command line, for a clerk with
a spreadsheet — list and register units, pair them with counties, list and export cadres.
The operator acts as administrator everywhere; every change and export is audited."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, ValidationError

from .. import cli as root
from ..core import export as exporting
from ..core.errors import Invalid, Rejected
from ..core.http import translate_validation
from ..core.i18n import _
from .cadres import queries as cadre_queries
from .cadres.exports import cadre_columns
from .disclosure import audit_export
from .exports import revealing
from .protect import Protector
from .units import queries as unit_queries
from .units import service as unit_service
from .units.schemas import UNIT_KIND, UNIT_LEVEL, PairingIn, UnitIn

app = typer.Typer(help="Registry: dispatching units and cadres", no_args_is_help=True)
units = typer.Typer(help="Dispatching units (派出单位)", no_args_is_help=True)
cadres = typer.Typer(help="Cadres of dispatching units", no_args_is_help=True)
app.add_typer(units, name="units")
app.add_typer(cadres, name="cadres")

Search = Annotated[str | None, typer.Option("--q", help="Part of the name (units) or name or ID number (cadres)")]
Area = Annotated[str | None, typer.Option("--area", help="A 12-digit division code: its whole area")]
UnitOpt = Annotated[int | None, typer.Option("--unit", help="The unit's number")]
LevelOpt = Annotated[str | None, typer.Option(help="central, provincial, city or county")]
KindOpt = Annotated[str | None, typer.Option(help="government, state_firm, public_institution or university")]


def _validated(model: type[BaseModel], values: dict[str, Any]) -> Any:
    """The model, or a clerk's list of located errors."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = [translate_validation({**e, "loc": ("body", *e["loc"])}) for e in exc.errors()]
        raise Rejected([Invalid(e["message"], field=e["field"]) for e in errors]) from None


@units.command("list")
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


@units.command("add")
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
        data = _validated(
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


@units.command("pair")
def pair_unit(
    unit: Annotated[int, typer.Argument(help="The unit's number")],
    county: Annotated[str, typer.Argument(help="The county's code (6 or 12 digits)")],
) -> None:
    """Pair a unit with a county (对口帮扶)."""

    @root.clerk_errors
    def run() -> None:
        data = _validated(PairingIn, {"division_code": county})
        with root.system_session() as (session, actor):
            found = unit_service.access_unit(session, unit)
            unit_service.pair_county(session, actor=actor, unit=found, data=data)
            typer.echo(_("{name} is paired with {county}.").format(name=found.name, county=data.division_code))

    run()


@cadres.command("list")
def list_cadres(q: Search = None, unit: UnitOpt = None, area: Area = None) -> None:
    """List cadres: number, name, masked ID number, unit and where they serve, tab-separated."""
    with root.system_session(write=False) as (session, _actor):
        names = unit_queries.all_names(session)
        statement = cadre_queries.cadre_statement(Protector.of(root.settings()), q=q, unit_id=unit, area=area)
        for cadre in cadre_queries.stream(session, statement):
            typer.echo(
                "\t".join(
                    [
                        str(cadre.id),
                        cadre.name,
                        cadre.id_masked or "",
                        names.get(cadre.unit_id or 0, ""),
                        cadre.division_code,
                    ]
                )
            )


@cadres.command("export")
def export_cadres(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file to write")],
    q: Search = None,
    unit: UnitOpt = None,
    area: Area = None,
    unmask: Annotated[bool, typer.Option(help="Write ID numbers in clear (needs --reason)")] = False,
    reason: Annotated[str | None, typer.Option(help="Why the numbers are needed")] = None,
) -> None:
    """Export cadres to CSV or Excel; ID numbers masked unless --unmask with a --reason."""

    @root.clerk_errors
    def run() -> None:
        if file.suffix.lower() not in (".csv", ".xlsx"):
            raise Invalid(_("The file must end in .csv or .xlsx."), field="file")
        if unmask and not (reason and len(reason.strip()) >= 2):
            raise Invalid(_("Say why the numbers must be shown."), field="reason")
        count = _export(file, {"q": q, "unit_id": unit, "area": area}, unmask, reason)
        typer.echo(_("{count} cadres written to {path}.").format(count=count, path=file))

    run()


def _export(file: Path, filters: dict[str, Any], unmask: bool, reason: str | None) -> int:
    protector = Protector.of(root.settings())
    with root.system_session() as (session, actor):
        audit_export(
            session, actor.actor, "cadres", filters["area"], filters, unmask=unmask, reason=reason, file=file.name
        )
        session.commit()
        rows: Any = cadre_queries.stream(session, cadre_queries.cadre_statement(protector, **filters))
        rows = revealing(rows, protector) if unmask else rows
        counted = _Counted(rows)
        columns = cadre_columns(unmask, unit_queries.all_names(session))
        if file.suffix.lower() == ".xlsx":
            exporting.write_xlsx(str(file), columns, counted)
        else:
            with file.open("wb") as out:
                for chunk in exporting.csv_chunks(columns, counted):
                    out.write(chunk)
        return counted.count


class _Counted:
    """Rows passed through, counted on the way."""

    def __init__(self, rows: Any):
        self.rows, self.count = rows, 0

    def __iter__(self) -> Any:
        for row in self.rows:
            self.count += 1
            yield row
