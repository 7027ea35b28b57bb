"""Exit rules, pure: a household's named exit checks, village exit by poverty incidence,
and the county's rates. Every number comes in as an argument or from ``DEFAULTS`` (a
configurable default by province), never a constant inside a rule."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zhucun.identification.rules import DEFAULTS as LINES
from zhucun.identification.rules import monitoring_line

DEFAULTS: dict[str, Any] = {
    # Years in a row that income per head must be above the line (稳定超过).
    "stable_years": 2,
    # Poverty incidence below which a village exits; the western provinces' and any
    # province's own figure override the national one.
    "village_incidence": 0.02,
    "western_incidence": 0.03,
    "province_incidence": {},
    # A county exits with wrongly-exited and missed rates below these and approval of at least.
    "county_wrong_rate": 0.02,
    "county_missed_rate": 0.02,
    "county_approval": 0.90,
}
# The statuses the register counts as poor (未脱贫, 返贫), as exited (已脱贫…), as not registered.
POOR = ("11", "13")
EXITED = ("12", "14")
NOT_REGISTERED = ("00",)


def poverty_line(year: int, lines: dict[int, float] | None = None) -> float:
    """The income line per head of a year at current prices. The poverty line ends with
    2020; from then on the year's monitoring line is the line the register works with."""
    table = lines or LINES["poverty_line"]
    if lines is None and year > max(table):
        return monitoring_line(year)
    known = [y for y in table if y <= year] or [min(table)]
    return float(table[max(known)])


def incidence_threshold(province: str, western: bool, config: dict[str, Any] | None = None) -> float:
    conf = {**DEFAULTS, **(config or {})}
    if province in conf["province_incidence"]:
        return float(conf["province_incidence"][province])
    return float(conf["western_incidence"] if western else conf["village_incidence"])


@dataclass(frozen=True)
class Check:
    name: str  # a key of labels.EXIT_CHECKS
    ok: bool
    detail: dict[str, Any] = field(default_factory=dict)


def household_checks(
    income_by_year: dict[int, float | None],
    year: int,
    *,
    stable_years: int,
    housing_safe: bool | None,
    water_safe: bool | None,
    out_of_school: int,
    uninsured: int,
    lines: dict[int, float] | None = None,
) -> list[Check]:
    """Exit needs income per head above the line in each of the last ``stable_years`` years
    up to ``year`` (不愁吃、不愁穿 rest on it) and 三保障 and water: no child of compulsory
    school age out of school, every member medically insured, safe housing, safe water."""
    years = list(range(year - stable_years + 1, year + 1))
    short = [y for y in years if (income_by_year.get(y) is None or income_by_year[y] < poverty_line(y, lines))]  # type: ignore[operator]
    return [
        Check("income_stable", not short, {"years": stable_years, "short": short}),
        Check("education", out_of_school == 0, {"children": out_of_school}),
        Check("medical", uninsured == 0, {"members": uninsured}),
        Check("housing", bool(housing_safe)),
        Check("water", bool(water_safe)),
    ]


def village_exit(poor_people: np.ndarray, people: np.ndarray, thresholds: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(incidence, meets) per village: poor people over people, strictly below the threshold."""
    incidence = np.divide(poor_people, people, out=np.zeros(len(people)), where=people > 0)
    return incidence, (incidence < thresholds) & (people > 0)


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def county_meets(
    incidence: float,
    wrong: float | None,
    missed: float | None,
    approval: float | None,
    threshold: float,
    config: dict[str, Any] | None = None,
) -> bool:
    """A county exits with incidence below its threshold, both error rates below theirs and
    public approval at least the share required (an unknown figure does not pass)."""
    conf = {**DEFAULTS, **(config or {})}
    return (
        incidence < threshold
        and wrong is not None
        and wrong < conf["county_wrong_rate"]
        and missed is not None
        and missed < conf["county_missed_rate"]
        and approval is not None
        and approval >= conf["county_approval"]
    )
