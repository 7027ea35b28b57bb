"""Rules of a household and member file: pure functions over the columns of the whole file.

Cells first (the engine's checks.py), then households: exactly one head each, household-level values
the rows agree on, incomes with their year; then one person, one household: an ID number
twice in the file, or already registered in the county, and household numbers already
taken. What the database knows is passed in (``Facts``), fetched in bulk beforehand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zhucun.core.i18n import _l
from zhucun.core.imports.checks import (
    LOOKED_UP,
    Context,
    Divisions,
    Ledger,
    check_birth_dates,
    check_field,
    check_ids,
    check_places,
    check_stray,
    check_twice,
)
from zhucun.core.imports.columns import Field
from zhucun.core.imports.problems import DEFAULT_CAP, Problems, shorten
from zhucun.core.imports.readers import Table
from zhucun.registry.import_kind.fields import FIELDS, HOUSEHOLD, INCOME, MEMBER_FIELDS
from zhucun.registry.import_kind.households import Grouping

AMOUNTS = (
    "wage_income",
    "production_income",
    "property_income",
    "transfer_income",
    "production_costs",
    "unavoidable_spending",
)
NO_HEAD = _l("Household {value} has no head: give one member the relation 02 (户主) or 01 (本人).")
TWO_HEADS = _l("Household {value} has a second head (the first is in row {first}).")
DIFFERS = _l("“{value}” differs from “{other}” in row {first} of the same household.")
NO_YEAR = _l("Household {value} has incomes but not the year (年度) they belong to.")
EXIT_BEFORE = _l("The exit year {value} is before the year of registration {other}.")
TAKEN = _l("Household number {value} is already registered in this county.")
NO_GROUP = _l("The village {village} has no group “{value}”.")


@dataclass
class Facts:
    """What the database knows about the divisions and households a file names."""

    divisions: Divisions = field(default_factory=Divisions)
    groups: dict[str, dict[str, int]] = field(default_factory=dict)  # village → group name → number
    households: set[tuple[str, str]] = field(default_factory=set)  # (county, household number) taken


@dataclass
class Members:
    """A checked member file: parsed columns, households, and the errors found."""

    rows: np.ndarray
    values: dict[str, list[Any]]
    ids: list[str | None]
    grouping: Grouping
    head_row: np.ndarray
    household: dict[str, list[Any]]  # household-level values, one per household
    problems: Problems
    letters: dict[str, str]

    def __len__(self) -> int:
        return len(self.rows)


def check_members(table: Table, facts: Facts, *, today: dt.date, ledger: Ledger | None = None) -> Members:
    """Every check that needs no personal-number hash (``checks.check_registered`` follows), over
    a batch of whole households; ``ledger`` carries what earlier batches of the file left."""
    ledger = ledger or Ledger(Problems(DEFAULT_CAP))
    ctx = Context(table, ledger, today)
    check_stray(ctx)
    values = {f.name: col for f in MEMBER_FIELDS if f.kind not in LOOKED_UP if (col := check_field(ctx, f)) is not None}
    values["village_code"] = check_places(ctx, FIELDS["village_code"], facts.divisions)
    values["group"] = _groups(ctx, values["village_code"], facts.groups)
    checked_ids = check_ids(ctx, FIELDS["id_number"], values.get("gender"))
    values["birth_date"] = check_birth_dates(ctx, FIELDS["birth_date"], values.get("birth_date"), checked_ids)
    ids = checked_ids.numbers
    grouping = Grouping.of(values["household_no"])
    head_row = _heads(ctx, grouping, values["relation_to_head"])
    household = _household_values(ctx, grouping, values)
    _years(ctx, grouping, household)
    _taken(ctx, grouping, household, facts.households)
    check_twice(ctx, FIELDS["id_number"], ids)
    ledger.households.update(grouping.numbers)
    return Members(table.rows, values, ids, grouping, head_row, household, ctx.problems, table.letters)


def _groups(ctx: Context, villages: list[str | None], groups: dict[str, dict[str, int]]) -> list[int | None]:
    given = ctx.table.values("group")
    if given is None:
        return [None] * len(villages)
    pairs = {pair: _group_number(*pair, groups) for pair in set(zip(villages, given)) if pair[1] is not None}
    unknown = {pair for pair, number in pairs.items() if number is None and pair[0] is not None}
    if unknown:
        bad = np.flatnonzero(np.fromiter(map(unknown.__contains__, zip(villages, given)), bool, len(given)))
        ctx.problems.at(
            bad,
            ctx.table.rows,
            ctx.table.letters["group"],
            "unknown_group",
            lambda i: (NO_GROUP, {"village": villages[i], "value": shorten(str(given[i]))}),
        )
    return list(map(pairs.get, zip(villages, given)))


def _group_number(village: str | None, group: int | str, groups: dict[str, dict[str, int]]) -> int | None:
    if isinstance(group, int):
        return group if 0 < group < 1000 else None
    return groups.get(village or "", {}).get(group)


def _heads(ctx: Context, grouping: Grouping, relations: list[str | None]) -> np.ndarray:
    headless, extra, head_row = grouping.heads(relations)
    first = grouping.first
    letter = ctx.table.letters["relation_to_head"]
    ctx.problems.at(
        np.sort(first[headless]),
        ctx.table.rows,
        letter,
        "no_head",
        lambda i: (NO_HEAD, {"value": grouping.numbers[grouping.of_row[i]]}),
    )
    ctx.problems.at(
        extra,
        ctx.table.rows,
        letter,
        "two_heads",
        lambda i: (TWO_HEADS, {"first": int(ctx.table.rows[head_row[grouping.of_row[i]]])}),
    )
    return head_row


def _household_fields(table: Table) -> list[Field]:
    return [
        f
        for f in MEMBER_FIELDS
        if f.level in (HOUSEHOLD, INCOME) and f.name != "household_no" and f.name in table.columns
    ]


def _household_values(ctx: Context, grouping: Grouping, values: dict[str, list[Any]]) -> dict[str, list[Any]]:
    fields = _household_fields(ctx.table)
    first = grouping.first.tolist()
    if grouping.uniform([values[f.name] for f in fields]):
        return {f.name: [values[f.name][r] for r in first] for f in fields}
    household = {}
    for f in fields:
        reference, differs = grouping.agree(values[f.name])
        ctx.problems.at(
            differs,
            ctx.table.rows,
            ctx.table.letters[f.name],
            "household_differs",
            lambda i, f=f, reference=reference: _differs(ctx, grouping, values[f.name], reference, i),
        )
        household[f.name] = grouping.pick(values[f.name], reference)
    return household


def _differs(ctx: Context, grouping: Grouping, values: list[Any], reference: np.ndarray, i: int) -> tuple:
    other = int(reference[grouping.of_row[i]])
    return DIFFERS, {"value": _shown(values[i]), "other": _shown(values[other]), "first": int(ctx.table.rows[other])}


def _shown(value: Any) -> str:
    """A parsed household value as the message names it (codes with their label)."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return shorten(str(value))


def _years(ctx: Context, grouping: Grouping, household: dict[str, list[Any]]) -> None:
    first, rows, letters = grouping.first, ctx.table.rows, ctx.table.letters
    present = [name for name in AMOUNTS if name in household]
    if present:
        years = household.get("income_year") or [None] * len(grouping)
        amounts = [household[name] for name in present]
        missing = [h for h, parts in enumerate(zip(years, *amounts)) if parts[0] is None and any(parts[1:])]
        ctx.problems.at(
            np.sort(first[missing]),
            rows,
            letters.get("income_year") or letters[present[0]],
            "income_year_missing",
            lambda i: (NO_YEAR, {"value": grouping.numbers[grouping.of_row[i]]}),
        )
    if "exited_year" in household and "registered_year" in household:
        pairs = zip(household["exited_year"], household["registered_year"])
        early = [h for h, (out, into) in enumerate(pairs) if out is not None and into is not None and out < into]
        ctx.problems.at(
            np.sort(first[early]),
            rows,
            letters["exited_year"],
            "exit_before_registration",
            lambda i: (
                EXIT_BEFORE,
                {
                    "value": household["exited_year"][grouping.of_row[i]],
                    "other": household["registered_year"][grouping.of_row[i]],
                },
            ),
        )


def _taken(ctx: Context, grouping: Grouping, household: dict[str, list[Any]], taken: set[tuple[str, str]]) -> None:
    if not taken:
        return
    counties = [(code or "")[:6] for code in household["village_code"]]
    clash = [h for h, key in enumerate(zip(counties, grouping.numbers)) if key in taken]
    ctx.problems.at(
        np.sort(grouping.first[clash]),
        ctx.table.rows,
        ctx.table.letters["household_no"],
        "household_registered",
        lambda i: (TAKEN, {"value": grouping.numbers[grouping.of_row[i]]}),
    )
