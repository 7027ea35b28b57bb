"""Relief a household received (household_benefits), year by year.

Each program has its own rule of who gets it and how much: allowances for households with
the 低保 or 特困 attribute, industry subsidies and public-welfare jobs for supported
households with labour, education aid where children are at school, medical assistance
where someone is ill. Ordinary farm households rarely get anything. Households that the
village's officials favour (see ``favouritism``) get far more than their facts justify.
Pure functions over numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import Parameters
from .poverty import SUPPORTED, Facts


@dataclass
class Benefits:
    household: np.ndarray
    year: np.ndarray
    program: np.ndarray
    amount: np.ndarray
    day: np.ndarray  # day of the year it was granted, 0-based


@dataclass(frozen=True)
class Program:
    code: str
    median: float
    sigma: float
    cap: float | None = None


PROGRAMS = {
    p.code: p
    for p in (
        Program("01", 2400, 0.25),
        Program("02", 7000, 0.15),
        Program("03", 2000, 0.5, 10_000),
        Program("04", 20_000, 0.3),
        Program("05", 1500, 0.4),
        Program("06", 3000, 0.8, 50_000),
        Program("07", 7200, 0.15),
        Program("08", 1500, 0.3),
        Program("09", 2000, 0.5),
        Program("10", 6000, 0.3),
    )
}
# What a favoured household gets each year: (chance, amount × the program's usual).
FAVOURS = {
    "01": (0.95, 1.5),
    "03": (0.9, 3.0),
    "04": (0.15, 1.2),
    "06": (0.5, 2.0),
    "07": (0.7, 1.0),
    "08": (0.5, 1.5),
    "09": (0.7, 1.5),
}
# Programs the village decides on: where relatives are favoured, the others get less of them.
DISCRETIONARY = ("03", "04", "06", "07", "08", "09")
CROWDED_OUT = 0.5


def benefits(
    rng: np.random.Generator,
    p: Parameters,
    status: np.ndarray,
    attribute: np.ndarray,
    f: Facts,
    size: np.ndarray,
    housing_safe: np.ndarray,
    relocated: np.ndarray,
    favoured: np.ndarray,
    crowded: np.ndarray,
) -> Benefits:
    """``favoured`` households get relief they should not; ``crowded`` ones (the others in
    their villages) less of what the village decides on."""
    n = len(status)
    parts: list[tuple[np.ndarray, ...]] = []
    for year in p.years:
        last = year == p.years[-1]
        for code, (chance, units) in _rules(status, attribute, f, size, housing_safe, relocated, last).items():
            program = PROGRAMS[code]
            if code in DISCRETIONARY:
                chance = np.where(crowded, chance * CROWDED_OUT, chance)
            gets = rng.random(n) < chance
            multiplier = np.ones(n)
            if code in FAVOURS:
                boost_chance, boost = FAVOURS[code]
                gets |= favoured & (rng.random(n) < boost_chance) & ((code != "01") | (attribute == "2"))
                multiplier = np.where(favoured, boost, 1.0)
            rows = np.flatnonzero(gets)
            amount = rng.lognormal(np.log(program.median), program.sigma, len(rows)) * units[rows] * multiplier[rows]
            if program.cap:
                amount = np.minimum(amount, program.cap * multiplier[rows])
            parts.append(
                (
                    rows,
                    np.full(len(rows), year),
                    np.full(len(rows), code),
                    amount.round(),
                    rng.integers(0, 365, len(rows)),
                )
            )
    household, year, program, amount, day = (np.concatenate([part[i] for part in parts]) for i in range(5))
    order = np.lexsort((program, year, household))
    return Benefits(household[order], year[order], program[order], amount[order], day[order])


def _rules(
    status: np.ndarray,
    attribute: np.ndarray,
    f: Facts,
    size: np.ndarray,
    housing_safe: np.ndarray,
    relocated: np.ndarray,
    last_year: bool,
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per program: each household's chance of receiving it this year, and the units the
    amount is multiplied by (people, pupils)."""
    one = np.ones(len(status))
    supported = np.isin(status, SUPPORTED)
    exited_unsupported = status == "14"
    ordinary = status == "00"
    can_work = f.labourers > 0
    return {
        "01": (np.where(attribute == "2", 0.95, 0.0), size.astype(float)),
        "02": (np.where(attribute == "3", 0.98, 0.0), size.astype(float)),
        "03": (np.where(can_work, np.select([supported, exited_unsupported], [0.35, 0.05], 0.0), 0.0), one),
        # A house found unsafe is being renovated this year; the others were earlier.
        "04": (np.where(~housing_safe, 0.25 if last_year else 0.0, np.where(supported, 0.005, 0.0)), one),
        "05": (
            np.where(f.students > 0, np.select([supported, exited_unsupported], [0.8, 0.2], 0.0), 0.0),
            np.maximum(f.students, 1).astype(float),
        ),
        "06": (np.where(f.ill > 0, np.select([supported, exited_unsupported], [0.45, 0.1], 0.02), 0.0), one),
        "07": (np.where(supported & (f.labourers > f.migrants), 0.10, 0.0), one),
        "08": (np.where(supported & can_work, 0.08, 0.0), one),
        "09": (
            np.select(
                [status == "23", np.isin(status, ("13", "21", "22")), ordinary],
                [0.8 if last_year else 0.1, 0.1, 0.003],
                0.0,
            ),
            one,
        ),
        "10": (np.where(relocated & supported, 0.05, 0.0), one),
    }
