"""Running ``zhucun`` commands in-process, and reading the committed databases they write to."""

from __future__ import annotations

import contextvars

from sqlalchemy import text
from typer.testing import CliRunner, Result

import zhucun.cli
from zhucun.config import get_settings
from zhucun.core.db import make_engine


class Cli:
    """Runs ``zhucun`` in-process through typer's CliRunner, against one database, in one language."""

    def __init__(self, url: str):
        self.url = url
        self.runner = CliRunner()
        zhucun.cli._mount()

    def __call__(self, *args: str, lang: str | None = None, env: dict[str, str | None] | None = None) -> Result:
        """Run one command; ``lang`` sets ZHUCUN_LANG, ``env`` any other variable (None removes it)."""
        environment: dict[str, str | None] = {
            "ZHUCUN_DATABASE_URL": self.url,
            "ZHUCUN_LANG": lang,
            "LANG": None,
            "LC_ALL": None,
            "LC_MESSAGES": None,
            **(env or {}),
        }
        get_settings.cache_clear()
        try:
            # The command sets the locale of its context; a copy keeps it from leaking into later tests.
            return contextvars.copy_context().run(
                self.runner.invoke, zhucun.cli.app, list(args), env=environment, catch_exceptions=False
            )
        finally:
            get_settings.cache_clear()


def count_rows(url: str, table: str, where: str = "") -> int:
    """Rows of a table in a committed database, read through a connection of its own."""
    return scalar(url, f"SELECT count(*) FROM {table} {where}")


def scalar(url: str, sql: str, **params: object) -> object:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(sql), params).scalar()
    finally:
        engine.dispose()


def execute(url: str, sql: str, **params: object) -> None:
    """Change a committed database behind the application's back (as a tamperer would)."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql), params)
    finally:
        engine.dispose()
