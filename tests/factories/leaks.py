"""Finding resident ID numbers left in clear: in audit entries, database files, logs, reports.

Every 15- or 18-character window of a run of digits (the last may be X) counts when the
validator accepts it, so that a number glued to other digits (an access log's ``%20`` before
it) is still found. Text is NFKC-normalised first: full-width digits (how Chinese input
methods type them) count too. Runs touching lowercase hex letters are skipped: they are the
hashes and ciphertexts that the database holds by design, not numbers anyone typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

from zhucun.core import idnumbers

RUN = re.compile(r"(?<![0-9a-f])[0-9]{15,}[Xx]?(?![0-9a-f])")


def clear_ids(text: str, known: Collection[str] = ()) -> list[str]:
    """The valid ID numbers written in clear in ``text``; ``known`` runs are not numbers but
    codes that happen to have their shape (a 15-digit household number: village code and a
    sequence that reads as a 15-digit number's birth date)."""
    found = []
    for run in RUN.findall(unicodedata.normalize("NFKC", text)):
        if run in known:
            continue
        windows = {run[i : i + n] for n in (15, 18) for i in range(len(run) - n + 1)}
        found += sorted(w for w in windows if (w[-1].isdigit() or len(w) == 18) and idnumbers.check(w).valid)
    return found


def clear_ids_in(texts: Iterable[str], known: Collection[str] = ()) -> list[str]:
    return [value for text in texts for value in clear_ids(text, known)]
