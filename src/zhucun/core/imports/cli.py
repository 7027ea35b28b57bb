"""``zhucun import``: households and members or cadres from a file, and blank templates.

The operator at the command line acts as administrator everywhere; progress goes to
standard error, the result to standard output; exit status 1 when the file is refused."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from zhucun.core.i18n import _, locale_from_environment, use_locale
from zhucun.core.imports import report, service, template_files
from zhucun.core.imports.files import Source
from zhucun.core.imports.problems import ImportRejected

app = typer.Typer(help="Import households and members, or cadres, from CSV or Excel files.", no_args_is_help=True)
LISTED = 50


class Kind(StrEnum):
    members = "members"
    cadres = "cadres"


class Format(StrEnum):
    xlsx = "xlsx"
    csv = "csv"


FileArg = Annotated[
    Path,
    typer.Argument(
        help="CSV (UTF-8 or GBK) or .xlsx file, one row per member or cadre.",
        exists=True,
        dir_okay=False,
        readable=True,
    ),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing.")]
Report = Annotated[Path | None, typer.Option("--report", help="Write the errors to this .xlsx file.")]


@app.callback()
def main() -> None:
    """Import households and members, or cadres, from CSV or Excel files."""


@app.command("members")
def import_members(file: FileArg, dry_run: DryRun = False, report_to: Report = None) -> None:
    """Import households and members (one row per member), all or nothing."""
    with use_locale(locale_from_environment()):
        _run(Kind.members, file, dry_run, report_to)


@app.command("cadres")
def import_cadres(file: FileArg, dry_run: DryRun = False, report_to: Report = None) -> None:
    """Import cadres of dispatching units, all or nothing."""
    with use_locale(locale_from_environment()):
        _run(Kind.cadres, file, dry_run, report_to)


@app.command("template")
def template(
    kind: Annotated[Kind, typer.Argument(help="members or cadres")],
    output: Annotated[Path, typer.Option("-o", "--output", help="The file to write.")],
    fmt: Annotated[Format, typer.Option("--format", help="xlsx (with an explanation sheet) or csv")] = Format.xlsx,
) -> None:
    """Write a blank template with the Chinese header row."""
    with use_locale(locale_from_environment()):
        output.write_bytes(template_files.template(kind.value, fmt.value))
        typer.echo(_("Template written to {path}.").format(path=output))


def _run(kind: Kind, file: Path, dry_run: bool, report_to: Path | None) -> None:
    from zhucun.cli import clerk_errors, settings, system_session

    @clerk_errors
    def run() -> None:
        source = Source.of_path(file)
        typer.echo(_("Checking {path}…").format(path=file.name), err=True)
        do = service.import_members if kind == Kind.members else service.import_cadres
        try:
            with system_session() as (session, actor):
                try:
                    outcome = do(
                        session, actor=actor, source=source, settings=settings(), dry_run=dry_run, progress=_progress
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


def _refused(session, rejected: ImportRejected, report_to: Path | None) -> None:
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
    number = outcome.import_id
    if outcome.kind == "cadres":
        text = _("{count} cadres would be imported.") if outcome.dry_run else _("{count} cadres imported.")
        line = text.format(count=outcome.cadres)
    else:
        text = (
            _("{households} households with {members} members would be imported.")
            if outcome.dry_run
            else _("{households} households with {members} members imported.")
        )
        line = text.format(households=outcome.households, members=outcome.members)
    prefix = _("Dry run: nothing was saved.") + " " if outcome.dry_run else ""
    return prefix + line + " " + _("Import #{number}").format(number=number)
