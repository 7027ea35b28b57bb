"""``zhucun audit verify``: check every hash chain of the audit trail; ``zhucun audit seal``:
seal the heads of intact chains under the audit key (after an upgrade, or a lost key)."""

from __future__ import annotations

from typing import Annotated

import typer

from ..core import audit
from ..core.audit import SYSTEM
from ..core.i18n import _
from . import service

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
    _echo_findings(result.findings)
    raise typer.Exit(1)


@app.command("seal")
def seal(reason: Annotated[str, typer.Option("--reason", help="Why the chains are sealed now.")]) -> None:
    """Seal the heads of chains whose entries are intact; chains with bad entries are left as they are."""
    from ..cli import database

    db = database()
    try:
        sealed, broken = service.seal_chains(db, actor=SYSTEM, reason=reason)
    finally:
        db.dispose()
    for county in sealed:
        typer.echo(_("Chain {county} sealed.").format(county=county))
    if broken:
        _echo_findings(broken)
        raise typer.Exit(1)
    if not sealed:
        typer.echo(_("Every chain was already sealed."))


def _echo_findings(findings: list[audit.Finding]) -> None:
    for finding in findings:
        typer.echo(_("Entry {ref} is bad: {problem}").format(ref=finding.ref, problem=finding.problem), err=True)
