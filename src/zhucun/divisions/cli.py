"""``zhucun divisions``: import code tables."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..core.i18n import _
from . import service

app = typer.Typer(help="Administrative divisions: import code tables")


@app.command("import")
def import_table(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8 or GBK): code,name,parent_code,…")],
    update: Annotated[bool, typer.Option("--update", help="Update divisions that already exist")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing")] = False,
) -> None:
    """Import a division code table, all or nothing; errors name row and column."""
    from ..cli import clerk_errors, system_session

    @clerk_errors
    def run() -> None:
        data = file.read_bytes()
        with system_session() as (session, actor):
            result = service.import_divisions(
                session, actor=actor, data=data, filename=file.name, update_existing=update, dry_run=dry_run
            )
        prefix = _("Dry run: nothing was saved.") + " " if dry_run else ""
        typer.echo(
            prefix
            + _("{inserted} new, {updated} updated, {groups} village groups.").format(
                inserted=result.inserted, updated=result.updated, groups=result.groups
            )
        )

    run()
