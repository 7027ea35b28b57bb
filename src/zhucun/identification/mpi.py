"""Multidimensional poverty (Alkire–Foster, 2011), vectorised with numpy and exact where it
matters: weights and the poverty cut-off k are fractions, and a unit's weighted score is
compared with k in integers (scores scaled by the weights' common denominator), so that
weights such as 1/6 and 1/18 and k = 1/3 are never rounded.

A unit is deprived in an indicator when its achievement is strictly below the cut-off, and
poor when its weighted deprivation score is at least k."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np


class MpiError(ValueError):
    """Bad input to the measure (unknown column, value that is not a number, bad k)."""


@dataclass(frozen=True)
class Spec:
    cutoffs: dict[str, float]
    weights: dict[str, Fraction]
    k: Fraction


def fraction(text: str, what: str) -> Fraction:
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise MpiError(f"{what}: {text!r} is not a number or a fraction") from None
    return value


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items:
        column, sep, value = item.partition("=")
        if not sep or not column.strip():
            raise MpiError(f"{what}: {item!r} is not COLUMN=VALUE")
        out[column.strip()] = value
    return out


def spec_of(cutoffs: list[str], weights: list[str], k: str) -> Spec:
    """Cut-offs and weights from COL=VALUE pairs; weights default to equal and are normalised."""
    cuts = {c: float(fraction(v, f"--cutoff {c}")) for c, v in _pairs(cutoffs, "--cutoff").items()}
    raw = {c: fraction(v, f"--weight {c}") for c, v in _pairs(weights, "--weight").items()}
    if unknown := set(raw) - set(cuts):
        raise MpiError(f"--weight names columns without a cut-off: {', '.join(sorted(unknown))}")
    if raw and set(raw) != set(cuts):
        raise MpiError("give a weight for every indicator, or none")
    given = {c: raw.get(c, Fraction(1)) for c in cuts}
    if any(w <= 0 for w in given.values()):
        raise MpiError("weights must be positive")
    total = sum(given.values(), Fraction(0))
    share = fraction(k, "--k")
    if not 0 < share <= 1:
        raise MpiError("--k must be a share greater than 0 and at most 1")
    return Spec(cuts, {c: w / total for c, w in given.items()}, share)


@dataclass
class Table:
    columns: dict[str, np.ndarray]
    ids: dict[str, list[str]]
    n: int


def read_csv(path: Path) -> Table:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise MpiError(f"{path}: empty file")
    header, body = [h.strip() for h in rows[0]], rows[1:]
    texts = {name: [r[i].strip() if i < len(r) else "" for r in body] for i, name in enumerate(header)}
    return Table(columns={}, ids=texts, n=len(body))


def _numbers(table: Table, column: str) -> np.ndarray:
    if column not in table.ids:
        raise MpiError(f"no column {column!r} (the file has {', '.join(table.ids)})")
    if column in table.columns:
        return table.columns[column]
    try:
        values = np.array([float(v) for v in table.ids[column]], dtype=float)
    except ValueError:
        bad = next(i for i, v in enumerate(table.ids[column]) if not _is_number(v))
        raise MpiError(f"row {bad + 2}, column {column}: {table.ids[column][bad]!r} is not a number") from None
    table.columns[column] = values
    return values


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass
class Result:
    n: int
    poor: list[str]
    H: Fraction
    A: Fraction
    M0: Fraction
    censored_headcount: dict[str, Fraction]
    contribution: dict[str, Fraction]

    def as_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "poor": self.poor,
            "H": float(self.H),
            "A": float(self.A),
            "M0": float(self.M0),
            "censored_headcount": {c: float(h) for c, h in self.censored_headcount.items()},
            "contribution": {c: float(s) for c, s in self.contribution.items()},
        }

    def as_text(self) -> str:
        lines = [f"n = {self.n}", f"H = {float(self.H):.6f}", f"A = {float(self.A):.6f}", f"M0 = {float(self.M0):.6f}"]
        lines.append(f"{'indicator':<20} {'censored h':>12} {'contribution':>12}")
        for column, h in self.censored_headcount.items():
            lines.append(f"{column:<20} {float(h):>12.6f} {float(self.contribution[column]):>12.6f}")
        lines.append("poor: " + ", ".join(self.poor))
        return "\n".join(lines)


def deprivations(values: dict[str, np.ndarray], spec: Spec) -> tuple[np.ndarray, np.ndarray, int]:
    """(deprivation matrix, integer scores, denominator): the score of a unit over the
    denominator is its weighted deprivation share, held exactly in integers."""
    columns = list(spec.cutoffs)
    denominator = math.lcm(*(w.denominator for w in spec.weights.values()), spec.k.denominator)
    integer_weights = np.array([int(spec.weights[c] * denominator) for c in columns], dtype=np.int64)
    deprived = np.column_stack([values[c] < spec.cutoffs[c] for c in columns])
    return deprived, deprived.astype(np.int64) @ integer_weights, denominator


@dataclass
class Tally:
    """The additive parts of the measure per group (a village): units, poor units, the poor's
    integer scores summed, and each indicator's censored count. Sums of tallies are tallies,
    so a township's figures are its villages' added, never averaged."""

    n: np.ndarray
    q: np.ndarray
    scores: np.ndarray
    censored: np.ndarray  # groups × indicators
    denominator: int

    def result(self, spec: Spec, group: int | slice = slice(None), poor: list[str] | None = None) -> Result:
        """The measure of one group, or of all groups together (a slice)."""
        n, q = int(np.sum(self.n[group])), int(np.sum(self.q[group]))
        counts = np.atleast_2d(self.censored[group]).sum(axis=0)
        heads = {c: Fraction(int(counts[j]), n or 1) for j, c in enumerate(spec.cutoffs)}
        total = Fraction(int(np.sum(self.scores[group])), self.denominator)
        m0 = Fraction(total, n) if n else Fraction(0)
        contribution = {c: (spec.weights[c] * h / m0 if m0 else Fraction(0)) for c, h in heads.items()}
        return Result(
            n=n,
            poor=poor or [],
            H=Fraction(q, n) if n else Fraction(0),
            A=total / q if q else Fraction(0),
            M0=m0,
            censored_headcount=heads,
            contribution=contribution,
        )


def tally(values: dict[str, np.ndarray], spec: Spec, groups: np.ndarray, size: int) -> tuple[Tally, np.ndarray]:
    """(tally per group, poor flag per unit): ``groups`` numbers each unit's group 0..size-1.
    One pass of bincounts whatever the number of groups (a country's villages at once)."""
    deprived, scores, denominator = deprivations(values, spec)
    poor = scores >= int(spec.k * denominator)
    of_poor = groups[poor]
    censored = (
        np.column_stack([np.bincount(groups[poor & deprived[:, j]], minlength=size) for j in range(deprived.shape[1])])
        if len(spec.cutoffs)
        else np.zeros((size, 0), dtype=np.int64)
    )
    found = Tally(
        n=np.bincount(groups, minlength=size),
        q=np.bincount(of_poor, minlength=size),
        # Integer sums: every score is an integer numerator over ``denominator``.
        scores=np.bincount(of_poor, weights=scores[poor], minlength=size).round().astype(np.int64),
        censored=censored.reshape(size, len(spec.cutoffs)),
        denominator=denominator,
    )
    return found, poor


def measure_columns(values: dict[str, np.ndarray], spec: Spec, ids: list[str]) -> Result:
    """The measure over columns of achievements (one entry per unit)."""
    n = len(ids)
    found, poor = tally(values, spec, np.zeros(n, dtype=np.int64), 1)
    return found.result(spec, 0, [ids[i] for i in np.flatnonzero(poor)])


def measure(table: Table, spec: Spec, id_column: str | None) -> Result:
    values = {c: _numbers(table, c) for c in spec.cutoffs}
    if id_column is not None and id_column not in table.ids:
        raise MpiError(f"no column {id_column!r} for --id")
    ids = table.ids[id_column] if id_column else [str(i + 1) for i in range(table.n)]
    return measure_columns(values, spec, ids)
