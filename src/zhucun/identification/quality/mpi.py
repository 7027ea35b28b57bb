"""Multidimensional poverty of the register per division: the default measure (education,
health, living standards from the registry's fields), computed for every household of an
area at once by the same code as ``zhucun mpi`` (``identification.mpi.tally``), and shown
per child division with the area's total.

Tallies add up, so a township is the sum of its villages and the area the sum of all: one
bincount pass whatever the area."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.i18n import _l
from zhucun.core.scope import Area
from zhucun.divisions.models import Division
from zhucun.identification import mpi
from zhucun.identification.exits.rules import poverty_line

from . import register

# Dimensions, their indicators and cut-offs (a household is deprived strictly below):
# each dimension weighs 1/3, split equally among its indicators. "income" is cut at the
# year's poverty line; None here. Configurable: pass another ``Spec`` to ``report``.
DIMENSIONS: dict[str, dict[str, float | None]] = {
    "education": {"schooling": 6, "attendance": 1},
    "health": {"health": 1, "insurance": 1},
    "living": {"housing": 1, "water": 1, "income": None},
}
K = Fraction(1, 3)
LABELS: dict[str, Any] = {
    "schooling": _l("Years of schooling"),
    "attendance": _l("School attendance"),
    "health": _l("Serious illness"),
    "insurance": _l("Medical insurance"),
    "housing": _l("Safe housing"),
    "water": _l("Safe drinking water"),
    "income": _l("Income per head"),
}
DIMENSION_LABELS: dict[str, Any] = {
    "education": _l("Education"),
    "health": _l("Health"),
    "living": _l("Living standards"),
}
# The level below each level (the length of its code's significant prefix).
CHILD_LENGTH = {"province": 4, "prefecture": 6, "county": 9, "township": 12, "village": 12}


def default_spec(year: int) -> mpi.Spec:
    cutoffs: dict[str, float] = {}
    weights: dict[str, Fraction] = {}
    for indicators in DIMENSIONS.values():
        for name, cut in indicators.items():
            cutoffs[name] = poverty_line(year) if cut is None else float(cut)
            weights[name] = Fraction(1, len(DIMENSIONS)) / len(indicators)
    return mpi.Spec(cutoffs, weights, K)


@dataclass
class Row:
    code: str
    name: str
    result: mpi.Result


@dataclass
class Report:
    division: Division
    year: int | None
    spec: mpi.Spec
    total: mpi.Result
    children: list[Row]


def measure(found: register.Achievements, spec: mpi.Spec, length: int) -> tuple[list[str], mpi.Tally]:
    """(child codes, their tally): households grouped by the first ``length`` digits
    (village codes are 12-digit integers here, so a prefix is an integer division)."""
    prefixes = found.villages // 10 ** (12 - length)
    codes, groups = np.unique(prefixes, return_inverse=True)
    values = {c: found.columns[c] for c in spec.cutoffs}
    tally, _poor = mpi.tally(values, spec, groups.reshape(-1), len(codes))
    return [str(c).zfill(length).ljust(12, "0") for c in codes.tolist()], tally


def report(session: Session, division: Division, year: int | None = None, spec: mpi.Spec | None = None) -> Report:
    """The measure of a division of the reader's area, and of each of its child divisions."""
    area = Area.of(division.code)
    year = year or register.latest_income_year(session, area)
    spec = spec or default_spec(year or 0)
    found = register.empty(spec.cutoffs) if year is None else register.read(session, area, year)
    codes, tally = measure(found, spec, CHILD_LENGTH[division.level])
    names = dict(session.execute(select(Division.code, Division.name).where(Division.code.in_(codes))).all())
    children = [Row(code, names.get(code, ""), tally.result(spec, i)) for i, code in enumerate(codes)]
    return Report(division, year, spec, tally.result(spec), children)


def as_json(found: Report) -> dict:  # type: ignore[type-arg]
    def one(result: mpi.Result) -> dict:  # type: ignore[type-arg]
        data = result.as_json()
        data.pop("poor")
        return data

    return {
        "division": found.division.code,
        "year": found.year,
        "k": str(found.spec.k),
        "weights": {c: str(w) for c, w in found.spec.weights.items()},
        "cutoffs": found.spec.cutoffs,
        "total": one(found.total),
        "children": [{"code": r.code, "name": r.name, **one(r.result)} for r in found.children],
    }
