"""The columns an import file may carry, as a kind declares them: machine names, the headers
clerks use, and what each cell must hold. The same lists drive the header check, the cell
checks, the preview, the templates and their explanation sheet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from zhucun.core.tabular import Column

# Kinds of cell, each with its parser in cells.py and its checks in checks.py.
TEXT, CODE, CODES, DATE, INT, MONEY, MU, BOOL, ID, PHONE, BANK, VILLAGE, GROUP, DIVISION, PLACE, UNIT = (
    "text",
    "code",
    "codes",
    "date",
    "int",
    "money",
    "mu",
    "bool",
    "id",
    "phone",
    "bank",
    "village",
    "group",
    "division",
    "place",
    "unit",
)
ROW = "row"  # a value of the row itself (a kind may name coarser levels: a household's)
YEAR = {"low": 1980, "limit": 2100}


class Catalogue(Protocol):
    """A code table a CODE or CODES column is read against (codes or labels accepted)."""

    items: Mapping[str, tuple[str, str]]  # code → (Chinese label, English label)

    def label(self, code: str | None, locale: str | None = None) -> str: ...

    def code_for(self, text: str) -> str | None: ...


@dataclass(frozen=True)
class Field:
    name: str
    header: str
    kind: str
    help: Any
    aliases: tuple[str, ...] = ()
    level: str = ROW
    required: bool = False
    catalogue: Catalogue | None = None
    limit: int | None = None  # longest text, or the highest number
    low: int = 0

    @property
    def column(self) -> Column:
        return Column(self.name, (self.header, *self.aliases), required=self.required)


def field(name: str, header: str, kind: str, help: Any, *aliases: str, **options: Any) -> Field:
    """A column: its machine name, its Chinese header, its cell kind, what to fill in, the
    other headers clerks use for it, and options (required, catalogue, limit…)."""
    return Field(name, header, kind, help, aliases, **options)


def by_name(fields: tuple[Field, ...]) -> dict[str, Field]:
    return {f.name: f for f in fields}
