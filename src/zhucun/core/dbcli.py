"""``zhucun db``: migrations of the database schema."""

from __future__ import annotations

import typer

from .i18n import _
from .migrate import current_revision, upgrade

app = typer.Typer(help="Database schema: migrate, show the revision")


@app.command("upgrade")
def upgrade_command(revision: str = typer.Argument("head")) -> None:
    """Apply the migrations up to REVISION (default: the newest)."""
    from ..cli import settings

    upgrade(settings().database_url, revision)
    typer.echo(_("The database is at revision {revision}.").format(revision=current_revision(settings().database_url)))


@app.command("current")
def current_command() -> None:
    """Print the database's revision."""
    from ..cli import settings

    typer.echo(current_revision(settings().database_url) or "-")
