"""``zhucun registry cadres``: cadres at the command line, for a clerk with a spreadsheet —
list and export them. The operator acts as administrator everywhere; every export is
audited."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from zhucun import cli as root
from zhucun.accounts.units import queries as unit_queries
from zhucun.core import disclosure
from zhucun.core import export as exporting
from zhucun.core.errors import Invalid
from zhucun.core.i18n import _
from zhucun.core.protect import Protector
from zhucun.registry.exports import revealing
from zhucun.selection.cadres import queries as cadre_queries
from zhucun.selection.cadres.exports import cadre_columns

app = typer.Typer(help="Cadres of dispatching units", no_args_is_help=True)

Search = Annotated[str | None, typer.Option("--q", help="Part of the name, or the ID number")]
Area = Annotated[str | None, typer.Option("--area", help="A 12-digit division code: its whole area")]
UnitOpt = Annotated[int | None, typer.Option("--unit", help="The unit's number")]


@app.command("list")
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


@app.command("export")
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
        disclosure.record_export(
            session,
            actor.actor,
            what="cadres",
            filters=filters,
            division=filters["area"],
            unmask=unmask,
            reason=reason,
            file=file.name,
        )
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
