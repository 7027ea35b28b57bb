"""Process-level helpers for a large import."""

from __future__ import annotations

import gc
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.exc import IntegrityError


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a file becomes millions of small objects: each
    collection would walk them all again, which takes longer than reading the file.
    Reference counting still frees everything; collection resumes afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def is_integrity_error(error: BaseException) -> bool:
    """A unique or foreign key violation, raised through SQLAlchemy or straight from COPY."""
    return isinstance(error, (IntegrityError, sqlite3.IntegrityError, psycopg.IntegrityError))
