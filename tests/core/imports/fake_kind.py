"""A kind of import no mechanism has: a two-column list of names by village, defined here
the way a mechanism would define one (in its own package, listed in its manifest), to
show that the engine needs nothing else. Its rows go to a table of the test's own."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from itertools import repeat
from typing import Any

import numpy as np
from sqlalchemy import Column, Integer, MetaData, String, Table

from zhucun.core.i18n import _l
from zhucun.core.imports.checks import Context, Ledger, check_field, check_places, check_stray, division_codes
from zhucun.core.imports.columns import TEXT, VILLAGE, by_name, field
from zhucun.core.imports.kinds import Kind
from zhucun.core.imports.lookup import Lookup
from zhucun.core.imports.problems import DEFAULT_CAP, Problems
from zhucun.core.imports.readers import Table as Read
from zhucun.core.imports.writer import Rows, Written
from zhucun.core.permissions import PERMISSIONS

NAMES_TABLE = Table(
    "test_import_names",
    MetaData(),
    Column("county_code", String(6), primary_key=True),
    Column("row_number", Integer, primary_key=True),
    Column("import_id", Integer, primary_key=True),
    Column("name", String(20), nullable=False),
    Column("village_code", String(12), nullable=False),
)
FIELDS = (
    field("name", "姓名", TEXT, "The person's name.", "名字", required=True, limit=10),
    field("village_code", "行政区划代码", VILLAGE, "The village's 12-digit code.", required=True),
)
BY_NAME = by_name(FIELDS)
PERMISSION = "registry:import:write"  # any declared permission: the kind names the one it needs
assert PERMISSION in PERMISSIONS


@dataclass
class Names:
    rows: np.ndarray
    values: dict[str, list[Any]]
    ids: list[str | None]
    problems: Problems
    letters: dict[str, str]

    def __len__(self) -> int:
        return len(self.rows)


def facts(lookup: Lookup) -> Callable[[Read], Any]:
    def of(table: Read) -> Any:
        lookup.look_up(division_codes(table.values("village_code")))
        return lookup.divisions

    return of


def check(table: Read, divisions: Any, *, today: dt.date, ledger: Ledger | None = None) -> Names:
    ctx = Context(table, ledger or Ledger(Problems(DEFAULT_CAP)), today)
    check_stray(ctx)
    values = {"name": check_field(ctx, BY_NAME["name"])}
    values["village_code"] = check_places(ctx, BY_NAME["village_code"], divisions)
    return Names(table.rows, values, [None] * len(table), ctx.problems, table.letters)


def prepare(checked: Names, hashes: list, *, allocate, import_id: int, protector, now: datetime) -> Rows:
    villages = checked.values["village_code"]
    rows = zip(
        [code[:6] for code in villages], checked.rows.tolist(), repeat(import_id), checked.values["name"], villages
    )
    columns = ("county_code", "row_number", "import_id", "name", "village_code")
    return Rows([(NAMES_TABLE, columns, list(rows))], Written({"names": len(checked)}))


NAMES = Kind(
    name="names",
    label=_l("Names"),
    fields=FIELDS,
    place="village_code",
    facts=facts,
    check=check,
    prepare=prepare,
    counts=lambda checked: {"names": len(checked)},
    permission=PERMISSION,
    tag="testing:names:imported",
    done="{names} names imported.",
    would="{names} names would be imported.",
    history={"members": "names"},
)
