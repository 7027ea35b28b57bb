"""``zhucun import KIND FILE [--dry-run]`` for every kind the mechanisms register
(``zhucun import members FILE``, ``zhucun import cadres FILE``…), and ``zhucun import
template KIND`` for its blank template.

The operator at the command line acts as administrator everywhere; progress goes to
standard error, the result to standard output; exit status 1 when the file is refused."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy.orm import Session

from zhucun.core.i18n import _, locale_from_environment, use_locale
from zhucun.core.imports import report, service, template_files
from zhucun.core.imports.files import Source
from zhucun.core.imports.kinds import Kind, kind_named, kinds
from zhucun.core.imports.problems import ImportRejected

LISTED = 50


class Format(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


FileArg = Annotated[
    Path,
    typer.Argument(
        help="CSV (UTF-8 or GBK) or .xlsx file, one row per record, headed as the template.",
        exists=True,
        dir_okay=False,
        readable=True,
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing.")]
Report = Annotated[Path | None, typer.Option("--report", help="Write the errors to this .xlsx file.")]


def main() -> None:
    """Import a file of any kind the mechanisms offer, from CSV or Excel files."""


def _command(app: typer.Typer, kind: Kind) -> None:
    def run(file: FileArg, dry_run: DryRun = False, report_to: Report = None) -> None:
        with use_locale(locale_from_environment()):
            _run(kind, file, dry_run, report_to)

    with use_locale("en"):
        run.__doc__ = f"Import {str(kind.label).lower()} from a file, all or nothing."
    app.command(kind.name)(run)


def template(
    kind: Annotated[str, typer.Argument(help="The kind of import: members, cadres…")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    fmt: Annotated[Format, typer.Option("--format", help="xlsx (with an explanation sheet) or csv")] = Format.xlsx,
) -> None:
    """Write a blank template with the Chinese header row."""
    from zhucun.cli import clerk_errors

    @clerk_errors
    def write() -> None:
        with use_locale(locale_from_environment()):
            output.write_bytes(template_files.template(kind_named(kind), fmt.value))
            typer.echo(_("Template written to {path}.").format(path=output))

    write()


def build_app() -> typer.Typer:
    app = typer.Typer(help="Import files of every kind from CSV or Excel.", no_args_is_help=True)
    app.callback()(main)
    for kind in kinds().values():
        _command(app, kind)
    app.command("template")(template)
    return app


def _run(kind: Kind, file: Path, dry_run: bool, report_to: Path | None) -> None:
    from zhucun.cli import clerk_errors, settings, system_session

    @clerk_errors
    def run() -> None:
        source = Source.of_path(file)
        typer.echo(_("Checking {path}…").format(path=file.name), err=True)
        try:
            with system_session() as (session, actor):
                try:
                    outcome = service.import_file(
                        session,
                        kind,
                        actor=actor,
                        source=source,
                        settings=settings(),
                        dry_run=dry_run,
                        progress=_progress,
                    )
                except ImportRejected as rejected:
                    _refused(session, rejected, report_to)
        finally:
            source.close()
        typer.echo(_summary(outcome))

    run()


def _progress(stage: str, count: int) -> None:
    if stage == "writing":
        typer.echo(
            _("The first {count} rows are good; writing them while the rest is checked…").format(count=count), err=True
        )


def _refused(session: Session, rejected: ImportRejected, report_to: Path | None) -> None:
    from zhucun.core.imports import queries

    typer.echo(rejected.message, err=True)
    for error in rejected.errors[:LISTED]:
        typer.echo(str(error), err=True)
    if len(rejected.errors) > LISTED:
        typer.echo(_("{count} more errors are not listed.").format(count=rejected.total - LISTED), err=True)
    if report_to is not None and rejected.import_id is not None:
        batch = queries.access_import(session, rejected.import_id)
        report_to.write_bytes(report.report_xlsx(batch, queries.problems(session, batch)))
        typer.echo(_("The errors are in {path}.").format(path=report_to), err=True)
    raise typer.Exit(1)


def _summary(outcome: service.Outcome) -> str:
    prefix = _("Dry run: nothing was saved.") + " " if outcome.dry_run else ""
    return prefix + outcome.summary + " " + _("Import #{number}").format(number=outcome.import_id)


def __getattr__(name: str) -> object:
    # Built on each use, as the routers are: the commands follow the registered kinds.
    if name == "app":
        return build_app()
    raise AttributeError(name)
