"""Finding resident ID numbers left in clear: in audit entries, database files, logs, reports.

A run of 15 or 18 digits (the last may be X) counts when the validator accepts it; text is
NFKC-normalised first, so full-width digits (how Chinese input methods type them) count too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from zhucun.registry import idnumbers

# Not part of a longer run of digits; letters around it are allowed (a%20 before, a URL).
CANDIDATE = re.compile(r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9])")


def clear_ids(text: str) -> list[str]:
    """The valid ID numbers written in clear in ``text``."""
    found = CANDIDATE.findall(unicodedata.normalize("NFKC", text))
    return [value for value in found if idnumbers.check(value).valid]


def clear_ids_in(texts: Iterable[str]) -> list[str]:
    return [value for text in texts for value in clear_ids(text)]
