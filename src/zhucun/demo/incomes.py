"""Household incomes by source for the last few years (household_incomes).

Income per head is log-normal around a multiple of the year's monitoring line that depends
on the household's status: exited households mostly above the line, monitored ones mostly
below it, households on allowances below a cap. The total is then split among wages,
production, property and transfers after the household's make-up (migrant workers bring
wages, the old pensions and allowances), and production costs are added on top of the
net production income. Pure functions over numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import Parameters
from .poverty import Facts

SOURCES = ("wage", "production", "property", "transfer")


@dataclass
class Incomes:
    """One row per household and year: ``household`` indexes the county's households."""

    household: np.ndarray
    year: np.ndarray
    wage: np.ndarray
    production: np.ndarray
    property: np.ndarray
    transfer: np.ndarray
    production_costs: np.ndarray

    def net(self) -> np.ndarray:
        return self.wage + self.production - self.production_costs + self.property + self.transfer

    def per_head(self, size: np.ndarray) -> np.ndarray:
        return self.net() / size[self.household]


def per_head_ratio(rng: np.random.Generator, p: Parameters, status: np.ndarray, attribute: np.ndarray) -> np.ndarray:
    """Last year's net income per head as a multiple of the monitoring line."""
    n = len(status)
    ratio = np.empty(n)
    for code, (median, sigma, cap) in p.income_by_status.items():
        rows = np.flatnonzero(status == code)
        values = rng.lognormal(np.log(median), sigma, len(rows))
        ratio[rows] = np.minimum(values, cap) if cap else values
    assisted = attribute != "1"
    # An allowance goes to households below the line: they stay under the cap.
    ratio[assisted] = np.minimum(ratio[assisted], p.assisted_income_cap * rng.uniform(0.7, 1.0, assisted.sum()))
    return ratio


def incomes(
    rng: np.random.Generator,
    p: Parameters,
    ratio: np.ndarray,
    size: np.ndarray,
    f: Facts,
    attribute: np.ndarray,
    status: np.ndarray,
) -> Incomes:
    """Rows for each year of ``p.years``, the last one at ``ratio`` × the line per head."""
    n = len(ratio)
    shares = _shares(rng, f, attribute, size)
    years = p.years
    # Earlier years a little lower, except for a sudden hardship, which struck last year.
    growth = rng.lognormal(np.log(p.income_growth), 0.05, n)
    growth = np.where(status == "23", rng.uniform(0.55, 0.75, n), growth)
    columns: dict[str, list[np.ndarray]] = {name: [] for name in (*SOURCES, "production_costs", "year", "household")}
    for back, year in enumerate(reversed(years)):
        # The last year exactly at ``ratio``: the register's checks look at that year.
        noise = rng.lognormal(0, 0.04, n) if back else 1.0
        total = ratio * p.line(years[-1]) * size / growth**back * noise
        parts = shares * total[:, None]
        for i, name in enumerate(SOURCES):
            columns[name].append(parts[:, i].round())
        cost_share = rng.uniform(0.2, 0.45, n)
        columns["production_costs"].append((parts[:, 1] * cost_share / (1 - cost_share)).round())
        columns["year"].append(np.full(n, year))
        columns["household"].append(np.arange(n))
    stacked = {name: np.concatenate(values[::-1]) for name, values in columns.items()}
    # Production is what the land yields gross: costs are recorded beside it.
    stacked["production"] = stacked["production"] + stacked["production_costs"]
    order = np.lexsort((stacked["year"], stacked["household"]))
    return Incomes(**{name: stacked[name][order] for name in ("household", "year", *SOURCES, "production_costs")})


def _shares(rng: np.random.Generator, f: Facts, attribute: np.ndarray, size: np.ndarray) -> np.ndarray:
    wage = np.where(f.migrants > 0, 0.65, np.where(f.labourers > 0, 0.2, 0.0))
    production = np.where(f.labourers > 0, 0.25, 0.06)
    property_ = np.full(len(size), 0.03)
    transfer = 0.05 + 0.5 * f.elderly / size + np.where(attribute != "1", 0.5, 0.0)
    base = np.stack([wage, production, property_, transfer], axis=1)
    noisy = base * rng.lognormal(0, 0.3, base.shape)
    return noisy / noisy.sum(axis=1, keepdims=True)
