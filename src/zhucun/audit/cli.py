"""``zhucun audit verify``: check every hash chain of the audit trail."""

from __future__ import annotations

import typer

from ..core import audit
from ..core.i18n import _

app = typer.Typer(help="Audit trail: verify the hash chains")


@app.command("verify")
def verify() -> None:
    """Verify the audit trail; name the first bad entry of each broken chain and exit 1."""
    from ..cli import database

    db = database()
    try:
        with db.begin(write=False) as session:
            result = audit.verify(session)
    finally:
        db.dispose()
    if result.ok:
        typer.echo(_("The audit trail is intact: {n} entries checked.").format(n=result.checked))
        return
    for finding in result.findings:
        typer.echo(_("Entry {ref} is bad: {problem}").format(ref=finding.ref, problem=finding.problem), err=True)
    raise typer.Exit(1)
