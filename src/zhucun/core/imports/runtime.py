"""Process-level helpers for a large import."""

from __future__ import annotations

import gc
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from sqlalchemy.exc import IntegrityError, OperationalError


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


def is_busy(error: BaseException) -> bool:
    """SQLite's one write lock, held by another writer for longer than the busy timeout."""
    cause = error.orig if isinstance(error, OperationalError) else error
    return isinstance(cause, sqlite3.OperationalError) and "locked" in str(cause)


@contextmanager
def quick_thread_switches(interval: float = 0.0005) -> Iterator[None]:
    """Hand the interpreter to a waiting thread after half a millisecond instead of five: the
    thread that feeds the database wakes each time its socket drains, and must not leave the
    server idle while the reading thread keeps the interpreter busy."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(min(previous, interval))
    try:
        yield
    finally:
        sys.setswitchinterval(previous)
