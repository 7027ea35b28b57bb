"""Logging that never writes a resident ID number: every record (the access log's URLs
with their query strings included) is passed through ``redact`` before it is written."""

from __future__ import annotations

import logging
import re
import unicodedata
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


class RedactIdNumbers(logging.Filter):
    """Redacts the message and its arguments in place, keeping their shape: uvicorn's access
    formatter reads the arguments (client, method, path, version, status) by position."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _clean(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_clean(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _clean(v) for k, v in record.args.items()}
        return True


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
