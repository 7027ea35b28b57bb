"""Grouping member rows into households, vectorised: each row's household index, every
household's rows in file order, its head, and the household-level values its rows agree on
(a blank cell agrees with anything, so clerks may fill them on the head's row only)."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

HEADS = frozenset({"01", "02"})  # 本人, 户主


def factorize(values: Sequence[Hashable]) -> np.ndarray:
    """Integer codes of the values in order of first appearance; None → -1."""
    index = {value: i for i, value in enumerate(dict.fromkeys(values))}
    index[None] = -1
    return np.fromiter(map(index.__getitem__, values), np.int64, len(values))


@dataclass
class Grouping:
    """Households of a file: ``of_row`` maps rows to households, ``order`` lists the rows
    household by household (in file order within each), ``starts`` where each begins."""

    of_row: np.ndarray
    numbers: list[str]
    order: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray

    @classmethod
    def of(cls, household_numbers: Sequence[str]) -> Grouping:
        numbers = list(dict.fromkeys(household_numbers))
        index = {number: i for i, number in enumerate(numbers)}
        of_row = np.fromiter(map(index.__getitem__, household_numbers), np.int64, len(household_numbers))
        order = np.argsort(of_row, kind="stable")
        sizes = np.bincount(of_row, minlength=len(numbers))
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
        return cls(of_row, numbers, order, starts, sizes)

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def first(self) -> np.ndarray:
        """Each household's first row."""
        return self.order[self.starts]

    def first_where(self, mask: np.ndarray) -> np.ndarray:
        """Each household's first row where ``mask`` (over rows) holds, or -1."""
        hits = np.flatnonzero(mask[self.order])
        if not len(hits):
            return np.full(len(self), -1, np.int64)
        at = np.minimum(np.searchsorted(hits, self.starts), len(hits) - 1)
        inside = (hits[at] >= self.starts) & (hits[at] < self.starts + self.sizes)
        return np.where(inside, self.order[hits[at]], -1)

    def heads(self, relations: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(households without a head, rows of heads after a household's first, each head row)."""
        is_head = np.fromiter(map(HEADS.__contains__, relations), bool, len(relations))
        count = np.bincount(self.of_row, weights=is_head, minlength=len(self)).astype(np.int64)
        head_row = self.first_where(is_head)
        extra = np.flatnonzero(is_head & (np.arange(len(relations)) != head_row[self.of_row]))
        return np.flatnonzero(count == 0), extra, np.where(head_row >= 0, head_row, self.first)

    def uniform(self, columns: Sequence[Sequence[Any]]) -> bool:
        """Whether every household's rows hold exactly the same texts in these columns (the usual case)."""
        if not columns or not len(self):
            return True
        codes = factorize(list(zip(*columns)))[self.order]
        return bool((np.minimum.reduceat(codes, self.starts) == np.maximum.reduceat(codes, self.starts)).all())

    def agree(self, values: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        """Each household's reference row for a column (its first non-blank, or -1), and the
        rows whose value differs from their household's reference."""
        codes = factorize(values)
        reference = self.first_where(codes >= 0)
        ref_of_row = reference[self.of_row]
        ref_codes = codes[np.maximum(ref_of_row, 0)]
        differs = np.flatnonzero((codes >= 0) & (ref_of_row >= 0) & (codes != ref_codes))
        return reference, differs

    def pick(self, values: Sequence[Any], reference: np.ndarray) -> list[Any]:
        """Per household, the value at its reference row (None where it has none)."""
        return [values[r] if r >= 0 else None for r in reference.tolist()]
