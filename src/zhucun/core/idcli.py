"""``zhucun id check``: which ID numbers are wrong, and why, in the clerk's language."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from zhucun.config import get_settings as settings
from zhucun.core import idnumbers
from zhucun.core.i18n import _, locale_from_environment, use_locale
from zhucun.core.idnumbers import IdCheck

app = typer.Typer(help="Resident ID numbers (公民身份号码).", no_args_is_help=True)

NumbersArg = Annotated[list[str] | None, typer.Argument(help="ID numbers to check.", show_default=False)]
FileOpt = Annotated[
    Path | None,
    typer.Option("--file", "-f", help="UTF-8 text, one number per line; - reads standard input."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON list instead of lines.")]


@app.callback()
def main() -> None:
    """Resident ID numbers (公民身份号码)."""


@app.command("check")
def check_command(numbers: NumbersArg = None, file: FileOpt = None, as_json: JsonOpt = False) -> None:
    """Check ID numbers given as arguments and/or one per line in a file.

    Exit status: 0 when all are valid, 1 when any is invalid, 2 on a usage error.
    """
    # Scoped rather than set_locale(): the same process may serve other commands (and tests).
    with use_locale(locale_from_environment()):
        values = [*(numbers or []), *read_numbers(file)]
        if not values:
            typer.echo(_("Give ID numbers as arguments or with --file."), err=True)
            raise typer.Exit(2)
        max_age = settings().id_max_age
        results = [idnumbers.check(value, max_age=max_age) for value in values]
        typer.echo(as_json_text(results) if as_json else as_lines(results))
    raise typer.Exit(0 if all(result.valid for result in results) else 1)


def read_numbers(file: Path | None) -> list[str]:
    """The non-blank lines of FILE (a BOM tolerated); none when no file is given."""
    if file is None:
        return []
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise typer.BadParameter(
            _("{path} is not UTF-8 text; save it as UTF-8 and try again.").format(path=file),
            param_hint="--file",
        ) from None
    except OSError as error:
        raise typer.BadParameter(
            _("cannot read {path}: {error}").format(path=file, error=error.strerror or error),
            param_hint="--file",
        ) from None
    lines = text.removeprefix("\ufeff").splitlines()
    return [line for line in lines if idnumbers.normalize(line)]


def as_lines(results: list[IdCheck]) -> str:
    width = max(18, *(len(result.input.strip()) for result in results))
    return "\n".join(f"{result.input.strip():<{width}}  {verdict(result)}" for result in results)


def verdict(result: IdCheck) -> str:
    if not result.valid:
        return _("invalid: {reason}").format(reason=result.reason)
    if result.normalized != result.input.strip():
        said = _("valid; 18-character form {normalized}").format(normalized=result.normalized)
    else:
        said = _("valid")
    return (
        said
        if result.warning is None
        else _("{verdict}; warning: {warning}").format(verdict=said, warning=result.warning)
    )


def as_json_text(results: list[IdCheck]) -> str:
    rows = [
        {
            "input": result.input,
            "valid": result.valid,
            "reason": None if result.valid else str(result.reason),
            # Stable across languages, for scripts.
            "reason_code": result.reason_code,
            "normalized": result.normalized,
            "warning": None if result.warning is None else str(result.warning),
            "warning_code": result.warning_code,
        }
        for result in results
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2)
