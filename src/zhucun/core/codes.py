"""The structure of 12-digit statistical division codes (统计用区划代码).

PP CC DD TTT VVV: province, prefecture, county (the GB/T 2260 code is the first six
digits), township (ends in 000 when the code names the township), village.
"""

from __future__ import annotations

import re

LEVELS = ("province", "prefecture", "county", "township", "village")
PREFIX_LENGTH = {"province": 2, "prefecture": 4, "county": 6, "township": 9, "village": 12}
CODE_RE = re.compile(r"^\d{12}$")


def is_code(code: str) -> bool:
    return bool(CODE_RE.match(code or ""))


def level_of(code: str) -> str:
    """The level a well-formed code names, read from its trailing zeros."""
    if code[2:] == "0" * 10:
        return "province"
    if code[4:] == "0" * 8:
        return "prefecture"
    if code[6:] == "0" * 6:
        return "county"
    if code[9:] == "000":
        return "township"
    return "village"


def prefix_of(code: str) -> str:
    """The significant digits of a code: its children's codes all start with them."""
    return code[: PREFIX_LENGTH[level_of(code)]]


def pad(prefix: str) -> str:
    return prefix.ljust(12, "0")


def ancestors(code: str) -> list[str]:
    """Codes of the levels above, nearest first (a township's county, prefecture, province)."""
    depth = LEVELS.index(level_of(code))
    return [pad(code[: PREFIX_LENGTH[LEVELS[i]]]) for i in range(depth - 1, -1, -1)]


def extends(child: str, parent: str) -> bool:
    """Whether ``child`` lies strictly below ``parent`` in the code structure."""
    return (
        child != parent
        and LEVELS.index(level_of(child)) > LEVELS.index(level_of(parent))
        and child.startswith(prefix_of(parent))
    )


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix`` (digits only)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


PROVINCE_PREFIXES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)
