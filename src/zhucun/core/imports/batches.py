"""Cutting a file's chunks into batches of whole households, so that one batch is checked
and written while the next is read. The rows of a household that run past a batch's end
move, with the rest of that household, into the next batch."""

from __future__ import annotations

from collections.abc import Iterator

from zhucun.core.imports.readers import Table

BATCH = 16_384


def batches(parts: Iterator[Table], household_key: str | None, size: int = BATCH) -> Iterator[Table]:
    pending: list[Table] = []
    count = 0
    for part in parts:
        pending.append(part)
        count += len(part)
        if count < size:
            continue
        table = Table.joined(pending)
        cut = _last_household_start(table, household_key) if household_key else len(table)
        if cut == 0:  # one household longer than a batch: keep gathering
            pending = [table]
            continue
        yield table.cut(0, cut)
        rest = table.cut(cut, len(table))
        pending, count = ([rest], len(rest)) if len(rest) else ([], 0)
    if pending:
        yield Table.joined(pending)


def _last_household_start(table: Table, key: str) -> int:
    numbers = table.values(key) or []
    start = len(numbers) - 1
    while start > 0 and numbers[start - 1] == numbers[-1]:
        start -= 1
    return start
