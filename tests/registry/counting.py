"""Counting the SQL statements a piece of code sends, to show it stays set-based."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event

CONTROL = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The statements sent while the block runs (transaction control left out)."""
    sent: list[str] = []

    def listen(_conn, _cursor, statement, _params, _context, _many) -> None:
        if not statement.lstrip().upper().startswith(CONTROL):
            sent.append(statement)

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", listen)
