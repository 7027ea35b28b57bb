"""``zhucun id keys``: which keys protect the stored numbers; a new key; numbers moved onto it.

For the operator of the server, who holds the key directory (``ZHUCUN_KEY_DIR``): back it
up before rotating, since a number under a lost key is lost."""

from __future__ import annotations

from typing import Annotated

import typer

from zhucun.core import keys
from zhucun.core.crypto import keyring_for
from zhucun.core.i18n import _, locale_from_environment, use_locale

app = typer.Typer(help="Encryption keys of personal data: status, rotation, re-encryption.", no_args_is_help=True)
Reason = Annotated[str | None, typer.Option("--reason", help="Why, for the audit trail.")]


@app.callback()
def main() -> None:
    """Encryption keys of personal data: status, rotation, re-encryption."""


@app.command("status")
def status() -> None:
    """The keys in the key directory and how many stored values each protects."""
    from zhucun.cli import clerk_errors, settings, system_session
    from zhucun.models import metadata

    @clerk_errors
    def run() -> None:
        keyring = keyring_for(settings().key_dir)
        typer.echo(_("Key directory: {path}").format(path=keyring.key_dir))
        typer.echo(
            _("Keys: {versions}; current: {current}").format(
                versions=", ".join(map(str, keyring.versions)), current=keyring.current_version
            )
        )
        with system_session(write=False) as (session, _actor):
            counts = keys.census(session, metadata)
        for count in counts:
            typer.echo(
                _("{table}.{column}: {count} under key {version}").format(
                    table=count.table, column=count.column, count=count.count, version=count.version
                )
            )
        stale = sum(c.count for c in counts if c.version != keyring.current_version)
        typer.echo(
            _("{count} values are under an older key.").format(count=stale)
            if stale
            else _("Every value is under the current key.")
        )

    with use_locale(locale_from_environment()):
        run()


@app.command("rotate")
def rotate(
    reason: Reason = None,
    reencrypt: Annotated[
        bool, typer.Option("--reencrypt/--no-reencrypt", help="Move the stored values onto the new key now.")
    ] = True,
) -> None:
    """Add a new encryption key and make it current (the older keys stay, to decrypt)."""
    from zhucun.cli import clerk_errors, settings, system_session

    @clerk_errors
    def run() -> None:
        keyring = keyring_for(settings().key_dir)
        with system_session() as (session, actor):
            version = keys.rotate(session, keyring, actor=actor.actor, reason=reason)
        typer.echo(_("Key {version} is now current; back up {path}.").format(version=version, path=keyring.key_dir))
        if reencrypt:
            _reencrypt()

    with use_locale(locale_from_environment()):
        run()


@app.command("reencrypt")
def reencrypt() -> None:
    """Write every value stored under an older key again under the current one (resumable)."""
    from zhucun.cli import clerk_errors

    with use_locale(locale_from_environment()):
        clerk_errors(_reencrypt)()


def _reencrypt() -> None:
    from zhucun.cli import settings, system_session
    from zhucun.models import metadata

    keyring = keyring_for(settings().key_dir)
    with system_session() as (session, actor):
        done = keys.reencrypt(session, metadata, keyring, actor=actor.actor, progress=_progress)
    typer.echo(
        _("{count} rows re-encrypted under key {version}.").format(
            count=sum(done.values()), version=keyring.current_version
        )
    )


def _progress(table: str, count: int) -> None:
    typer.echo(_("{table}: {count} rows…").format(table=table, count=count), err=True)
