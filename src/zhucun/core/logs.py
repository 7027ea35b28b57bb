"""Logging that never writes a resident's personal data: every record (the access log's URLs
with their query strings included) is passed through ``redact`` before it is written, and an
error's traceback keeps its frames but not the values a database error carries (the
statement's parameters, PostgreSQL's "Key (household_no)=(…) already exists")."""

from __future__ import annotations

import logging
import re
import traceback
import unicodedata
from types import TracebackType
from typing import Any

# 18 characters (17 digits and a digit or X) or 15 digits, not part of a longer number or
# word, but possibly right after a percent escape: a URL's "q=%20110105…" (a clerk's
# leading space or tab, encoded) must not hide the number behind the escape's hex digits.
ID_PATTERN = re.compile(r"(?:(?<=%[0-9A-Fa-f]{2})|(?<![0-9A-Za-z]))(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])")


def _mask(match: re.Match[str]) -> str:
    number = match.group(0)
    if len(number) == 18:
        return number[:6] + "*" * 8 + number[-4:]
    return number[:6] + "*" * 9


def redact(text: str) -> str:
    """Mask every ID-number-like run of digits as the pages do (region and last four kept)."""
    if not text.isascii():
        # Full-width digits and Ｘ (as Chinese input methods type them) are the same number:
        # NFKC maps them to ASCII. Text holding no number is returned exactly as it came.
        normalized = unicodedata.normalize("NFKC", text)
        if ID_PATTERN.search(normalized):
            return ID_PATTERN.sub(_mask, normalized)
    return ID_PATTERN.sub(_mask, text)


def _clean(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def _describe(error: BaseException) -> str:
    """One line for an exception: a database error by its class, SQLSTATE and constraint (its
    message would quote the row), anything else by its message, redacted."""
    from sqlalchemy.exc import DBAPIError, StatementError

    name = type(error).__qualname__
    if isinstance(error, StatementError):
        orig = error.orig
        diag = getattr(orig, "diag", None)
        parts = [f"{name} ({type(orig).__qualname__})"]
        sqlstate = getattr(orig, "sqlstate", None)
        if isinstance(error, DBAPIError) and sqlstate:
            parts.append(f"sqlstate={sqlstate}")
        if diag is not None and getattr(diag, "constraint_name", None):
            parts.append(f"constraint={diag.constraint_name}")
        parts.append(f"statement: {' '.join(str(error.statement or '').split())[:500]}")
        return " ".join(parts)
    if type(error).__module__.startswith(("psycopg", "sqlite3")):
        return f"{name} (database error; message withheld)"
    return f"{name}: {redact(str(error))}"


def safe_traceback(error: BaseException, tb: TracebackType | None = None) -> str:
    """The traceback of ``error`` and of the errors it came from, frames in full, messages
    by ``_describe``: where it failed, never whose data it was working on."""
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in chain:
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    lines: list[str] = []
    for depth, item in enumerate(reversed(chain)):
        if depth:
            lines.append("\nThe above exception led to the following:\n")
        frames = traceback.extract_tb(tb if item is error and tb is not None else item.__traceback__)
        lines.append("Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)).rstrip())
        lines.append(_describe(item))
    return "\n".join(lines)


class RedactIdNumbers(logging.Filter):
    """Redacts the message and its arguments in place, keeping their shape: uvicorn's access
    formatter reads the arguments (client, method, path, version, status) by position. A
    traceback is replaced by ``safe_traceback``'s."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = safe_traceback(record.exc_info[1], record.exc_info[2])
            record.exc_info = None
        return True


# Loggers that write an unexpected error's traceback: ours (a logger's filters do not apply
# to its children's records, so each is named), and uvicorn's, to which the server passes
# every exception an application lets through.
ERROR_LOGGERS = ("zhucun", "zhucun.http", "uvicorn.error")


def protect_error_logs() -> None:
    """Put the redacting filter on the loggers that write tracebacks, whoever configured
    their handlers (the app may run under any server or log configuration)."""
    for name in ERROR_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactIdNumbers) for f in logger.filters):
            logger.addFilter(RedactIdNumbers())


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's logging configuration with the redacting filter on every handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = {**LOGGING_CONFIG, "filters": {"redact": {"()": RedactIdNumbers}}}
    config["handlers"] = {
        name: {**handler, "filters": ["redact"]} for name, handler in LOGGING_CONFIG["handlers"].items()
    }
    config["loggers"] = {
        **LOGGING_CONFIG["loggers"],
        "zhucun": {"handlers": ["default"], "level": "INFO", "propagate": False},
    }
    return config
