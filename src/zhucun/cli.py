"""The ``zhucun`` command: the root Typer app; each mechanism adds its commands here."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

import typer
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from .config import Settings, get_settings
from .core.auth import Principal, configure_hashing
from .core.db import Database
from .core.errors import DomainError, Invalid, Rejected
from .core.http import translate_validation
from .core.i18n import _, locale_from_environment, set_locale
from .core.scope import Scope, bind

app = typer.Typer(
    help="zhucun 驻村帮扶信息系统 — village-based assistance", no_args_is_help=True, pretty_exceptions_enable=False
)
F = TypeVar("F", bound=Callable[..., Any])


def validated(model: type[BaseModel], values: dict[str, Any]) -> Any:
    """The model, or a clerk's list of located errors."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = [translate_validation({**e, "loc": ("body", *e["loc"])}) for e in exc.errors()]
        raise Rejected([Invalid(e["message"], field=e["field"]) for e in errors]) from None


def settings() -> Settings:
    current = get_settings()
    configure_hashing(current)
    return current


def database() -> Database:
    current = settings()
    return Database(current.database_url, key_dir=current.key_dir)


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
        # A spreadsheet row and column help at the command line; an API field name
        # ("field grants.0.division_code") does not: the options have other names.
        located = item.row is not None or item.column is not None
        typer.echo(str(item) if located else item.message, err=True)


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
        except (OperationalError, ProgrammingError) as exc:
            echo_database_error(exc)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def echo_database_error(exc: Exception) -> None:
    """A database that is missing, unreachable or not migrated, said plainly."""
    typer.echo(
        _(
            "The database cannot be used ({url}): {problem}. Run “zhucun db upgrade” first, or check "
            "ZHUCUN_DATABASE_URL."
        ).format(url=_safe_url(), problem=str(getattr(exc, "orig", exc)).splitlines()[0]),
        err=True,
    )


def _safe_url() -> str:
    from sqlalchemy.engine import make_url

    return make_url(get_settings().database_url).render_as_string(hide_password=True)


@app.callback()
def _root() -> None:
    # Typer runs this before every command however the app is invoked (console script,
    # CliRunner), so messages follow ZHUCUN_LANG or LANG there too, not only under main().
    set_locale(locale_from_environment())


_mounted = False


def _mount() -> None:
    """Add every mechanism's commands (from the manifests) to the root app, once however often
    it is called."""
    global _mounted
    if _mounted:
        return
    _mounted = True
    from .core.mechanism import each, resolve

    for command in each("commands"):
        sub = resolve(command.target)
        _guard(sub)
        if command.group:
            *parents, name = command.group.split()
            _parent(parents).add_typer(sub, name=name)
        else:
            for registered in sub.registered_commands:
                app.registered_commands.append(registered)


def _guard(typer_app: typer.Typer) -> None:
    """Give every command of a group (and of its subgroups) the same handling of clerk-facing errors."""
    for command in typer_app.registered_commands:
        if command.callback is not None and not getattr(command.callback, "_guarded", False):
            command.callback = clerk_errors(command.callback)
            command.callback._guarded = True  # type: ignore[attr-defined]
    for group in typer_app.registered_groups:
        if group.typer_instance is not None:
            _guard(group.typer_instance)


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
    try:
        app(prog_name="zhucun")
    except (OperationalError, ProgrammingError) as exc:
        echo_database_error(exc)
        sys.exit(1)


if __name__ == "__main__":
    main()
    sys.exit(0)
