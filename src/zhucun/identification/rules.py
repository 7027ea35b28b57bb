"""Identification rules, pure: eligibility of an applicant and the monitoring signals
over a whole register at once (numpy columns in, boolean columns out).

Exit is checked by the named checks of ``exits/rules.py``. Every number comes in as an
argument (the year's lines and shares are configurable defaults in ``DEFAULTS``), never a
constant inside a rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

# Configurable defaults (domain.md): monitoring line per head by year, as a multiple of the
# poverty line where a year is missing; share of income that unavoidable spending may take.
DEFAULTS: dict[str, Any] = {
    "poverty_line": {2015: 2968, 2016: 3146, 2017: 3335, 2018: 3535, 2019: 3747, 2020: 4000},
    "monitoring_line": {2021: 6000, 2022: 6500, 2023: 6900, 2024: 7300, 2025: 7600, 2026: 7900},
    "spending_share": 0.5,
}


def monitoring_line(year: int, lines: dict[int, float] | None = None) -> float:
    """The monitoring line of a year (the last known one for later years)."""
    table = lines or DEFAULTS["monitoring_line"]
    known = [y for y in table if y <= year] or [min(table)]
    return float(table[max(known)])


@dataclass(frozen=True)
class Applicant:
    income_per_head: float | None
    housing_safe: bool | None
    water_safe: bool | None


def failed_registration(applicant: Applicant, line: float) -> tuple[str, ...]:
    """The named rules an applicant fails: income above the line, or facts not collected."""
    failed = []
    if applicant.income_per_head is None:
        failed.append("income_missing")
    elif applicant.income_per_head >= line:
        failed.append("income_above_line")
    return tuple(failed)


def signals(
    income: np.ndarray, members: np.ndarray, spending: np.ndarray, line: float, share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per household: income per head below the line; unavoidable spending above ``share`` of
    income (a household without income and with spending is flagged)."""
    heads = np.maximum(members, 1)
    low = income / heads < line
    heavy = spending > share * np.maximum(income, 0)
    return low, heavy & (spending > 0)


@dataclass(frozen=True)
class FavouritismScores:
    households_share: np.ndarray
    assisted_share: np.ndarray
    benefit_share: np.ndarray
    score: np.ndarray


def favouritism_scores(
    households: np.ndarray,
    relatives: np.ndarray,
    assisted: np.ndarray,
    assisted_relatives: np.ndarray,
    amount: np.ndarray,
    relatives_amount: np.ndarray,
) -> FavouritismScores:
    """Per village: how far the relatives' share of assisted households and of benefit
    amounts exceeds their share of households, in standard errors (a binomial z-score of the
    assisted relatives, and the excess share of amounts scaled the same way), so that a few
    households more in a small village do not outrank a clear pattern in a large one."""
    share = np.divide(relatives, households, out=np.zeros_like(relatives), where=households > 0)
    spread = np.sqrt(np.maximum(share * (1 - share), 1e-9))
    assisted_share = np.divide(assisted_relatives, assisted, out=np.zeros_like(assisted), where=assisted > 0)
    benefit_share = np.divide(relatives_amount, amount, out=np.zeros_like(amount), where=amount > 0)
    z_assisted = (assisted_share - share) * np.sqrt(assisted) / spread
    z_amount = (benefit_share - share) * np.sqrt(assisted) / spread
    return FavouritismScores(share, assisted_share, benefit_share, (z_assisted + z_amount) / 2)
