"""The ``zhucun`` command: the root Typer app; each mechanism adds its commands here."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import typer
from sqlalchemy.orm import Session

from .config import Settings, get_settings
from .core.auth import Principal, configure_hashing
from .core.db import Database
from .core.errors import DomainError, Rejected
from .core.i18n import _, locale_from_environment, set_locale
from .core.scope import Scope, bind

app = typer.Typer(help="zhucun 驻村帮扶信息系统 — village-based assistance", no_args_is_help=True,
                  pretty_exceptions_enable=False)
F = TypeVar("F", bound=Callable[..., Any])

# (module, attribute, command group name); a group name of None adds plain commands, and
# "registry snapshot" nests a group under another (made empty if no mechanism made it).
COMMAND_GROUPS = (
    ("zhucun.core.dbcli", "app", "db"),
    ("zhucun.accounts.cli", "app", "user"),
    ("zhucun.accounts.cli", "init_app", None),
    ("zhucun.divisions.cli", "app", "divisions"),
    ("zhucun.audit.cli", "app", "audit"),
    ("zhucun.demo.cli", "app", None),
    ("zhucun.web.cli", "app", None),
    ("zhucun.registry.idcli", "app", "id"),
    ("zhucun.registry.imports.cli", "app", "import"),
    ("zhucun.registry.cli", "app", "registry"),
    ("zhucun.registry.kinship.cli", "app", "registry kin"),
    ("zhucun.registry.duplicates.cli", "app", "registry duplicates"),
    ("zhucun.registry.snapshots.cli", "app", "registry snapshot"),
)


def settings() -> Settings:
    current = get_settings()
    configure_hashing(current)
    return current


def database() -> Database:
    return Database(settings().database_url)


@contextmanager
def system_session(db: Database | None = None, *, write: bool = True) -> Iterator[tuple[Session, Principal]]:
    """A session for the operator at the command line, who acts as administrator everywhere."""
    db = db or database()
    session = db.session(write=write)
    bind(session, Scope.everywhere())
    try:
        yield session, Principal.system()
    finally:
        session.close()
        db.dispose()


def echo_error(error: DomainError) -> None:
    errors = error.errors if isinstance(error, Rejected) else [error]
    if isinstance(error, Rejected):
        typer.echo(error.message, err=True)
    for item in errors:
        typer.echo(str(item), err=True)


def clerk_errors(func: F) -> F:
    """Turn domain errors into translated, located messages and a non-zero exit."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except DomainError as exc:
            echo_error(exc)
            raise typer.Exit(1) from None
        except FileNotFoundError as exc:
            typer.echo(_("File not found: {path}").format(path=exc.filename), err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


_mounted = False


def _mount() -> None:
    """Add every mechanism's commands to the root app (once)."""
    global _mounted
    if _mounted:
        return
    _mounted = True
    for module_name, attribute, group in COMMAND_GROUPS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if not (exc.name and (module_name + ".").startswith(exc.name + ".")):
                raise
            continue
        sub = getattr(module, attribute, None)
        if sub is None:
            continue
        if group:
            *parents, name = group.split()
            _parent(parents).add_typer(sub, name=name)
        else:
            for command in sub.registered_commands:
                app.registered_commands.append(command)


def _parent(names: list[str]) -> typer.Typer:
    parent = app
    for name in names:
        found = next((g.typer_instance for g in parent.registered_groups if g.name == name), None)
        if found is None:
            found = typer.Typer(no_args_is_help=True)
            parent.add_typer(found, name=name)
        parent = found
    return parent


def main() -> None:
    set_locale(locale_from_environment())
    _mount()
    app(prog_name="zhucun")


if __name__ == "__main__":
    main()
    sys.exit(0)
