"""The reference-income survey import (参考收入调查): one row per surveyed household — its
village, its household number or an ID number of a member, the survey year and the
reference income per head. Rows are checked by the import engine's rules (the village
inside the importer's area, a valid ID number, an amount), every bad cell located, and
the file written all or nothing. ID numbers are kept only as the keyed hash they are
matched by; the survey is matched to the register when the targeting report reads it."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from itertools import repeat

import numpy as np

from zhucun.core.errors import Invalid
from zhucun.core.i18n import _l
from zhucun.core.imports.checks import (
    Context,
    Divisions,
    Ledger,
    check_field,
    check_ids,
    check_places,
    check_stray,
)
from zhucun.core.imports.columns import ID, INT, MONEY, TEXT, VILLAGE, YEAR, by_name, field
from zhucun.core.imports.kinds import CheckedRows, Kind, counted
from zhucun.core.imports.lookup import places_named
from zhucun.core.imports.problems import DEFAULT_CAP, Problems
from zhucun.core.imports.readers import Table
from zhucun.core.imports.writer import Allocate, Rows, column, county_keys, one_table
from zhucun.core.protect import Protector
from zhucun.identification.permissions import SURVEY_IMPORT

from .models import ReferenceIncome

FIELDS = (
    field("village_code", "行政区划代码", VILLAGE, _l("The village's 12-digit code."), "村代码", required=True),
    field("household_no", "户编号", TEXT, _l("The household number in the register."), "户号", limit=30),
    field(
        "id_number",
        "身份证号码",
        ID,
        _l("The ID number of a member, when the household number is not known."),
        "证件号码",
        "身份证号",
    ),
    field("year", "调查年度", INT, _l("The year the incomes belong to."), "年度", required=True, **YEAR),
    field(
        "income_per_head",
        "人均纯收入",
        MONEY,
        _l("The reference income per head in yuan."),
        "参考人均收入",
        required=True,
    ),
)
BY_NAME = by_name(FIELDS)
NO_HOUSEHOLD = _l("Give the household number or an ID number of a member.")
TAG = "identification:survey:imported"


COLUMNS = (
    "county_code",
    "import_id",
    "row_number",
    "village_code",
    "household_no",
    "id_hash",
    "year",
    "income_per_head",
)


def check(table: Table, divisions: Divisions, *, today: dt.date, ledger: Ledger | None = None) -> CheckedRows:
    """The cells, the village in the importer's area, and a household named on every row."""
    ctx = Context(table, ledger or Ledger(Problems(DEFAULT_CAP)), today)
    check_stray(ctx)
    values = {name: check_field(ctx, BY_NAME[name]) for name in ("household_no", "year", "income_per_head")}
    values["village_code"] = check_places(ctx, BY_NAME["village_code"], divisions)
    numbers = table.values("household_no") or [None] * len(table)
    texts = table.values("id_number") or [None] * len(table)
    ids = check_ids(ctx, BY_NAME["id_number"], None).numbers if "id_number" in table.columns else [None] * len(table)
    for i in np.flatnonzero([not n and not t for n, t in zip(numbers, texts, strict=True)]).tolist():
        letter = table.letters.get("household_no") or table.letters.get("id_number")
        ctx.problems.add(Invalid(NO_HOUSEHOLD, row=int(table.rows[i]), column=letter, code="no_household"))
    return CheckedRows(table.rows, values, ids, ctx.problems, table.letters)  # type: ignore[arg-type]


def prepare(
    checked: CheckedRows,
    hashes: list[str | None],
    *,
    allocate: Allocate,
    import_id: int,
    protector: Protector,
    now: datetime,
) -> Rows:
    """One row per surveyed household, kept by the ID number's hash alone."""
    values, count = checked.values, len(checked)
    villages = values["village_code"]
    rows = zip(
        county_keys(villages),
        repeat(import_id),
        checked.rows.tolist(),
        villages,
        [number or None for number in column(values, "household_no", count)],
        hashes,
        values["year"],
        values["income_per_head"],
    )
    return one_table(ReferenceIncome, COLUMNS, rows, {"households": count})


REFERENCE_INCOMES = Kind(
    name="reference_incomes",
    label=_l("Reference incomes (survey)"),
    fields=FIELDS,
    place="village_code",
    facts=places_named("village_code"),
    check=check,
    prepare=prepare,
    counts=counted("households"),
    permission=SURVEY_IMPORT,
    tag=TAG,
    done=_l("{households} surveyed households imported."),
    would=_l("{households} surveyed households would be imported."),
    history={"households": "households"},
    tables={"households": "reference_incomes"},
    id_field="id_number",
    action=_l("Import a reference-income survey"),
    help=_l(
        "One row per surveyed household: its village, its household number or a member's ID number, "
        "the year and the reference income per head."
    ),
)
