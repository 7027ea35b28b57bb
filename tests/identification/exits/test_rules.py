"""Exit rules without a database: each named check, the village line, the county verdict."""

from __future__ import annotations

import numpy as np

from zhucun.identification.exits import rules

LINES = {2023: 4000.0, 2024: 4200.0, 2025: 4400.0}


def _checks(incomes, **facts):
    given = {"housing_safe": True, "water_safe": True, "out_of_school": 0, "uninsured": 0, **facts}
    return {c.name: c for c in rules.household_checks(incomes, 2025, stable_years=2, lines=LINES, **given)}


def test_income_must_be_above_the_line_in_each_of_the_stable_years():
    assert _checks({2024: 4300, 2025: 4500})["income_stable"].ok
    short = _checks({2024: 4100, 2025: 4500})["income_stable"]
    assert not short.ok and short.detail["short"] == [2024]
    # A year without a recorded income is not stably above the line.
    assert _checks({2025: 9000})["income_stable"].detail["short"] == [2024]
    # Equal to the line is not below it.
    assert _checks({2024: 4200, 2025: 4400})["income_stable"].ok


def test_three_guarantees_and_water_are_named_when_they_fail():
    failed = _checks({2024: 9000, 2025: 9000}, housing_safe=None, water_safe=False, out_of_school=1, uninsured=2)
    assert [n for n, c in failed.items() if not c.ok] == ["education", "medical", "housing", "water"]
    assert failed["medical"].detail == {"members": 2}


def test_village_incidence_strictly_below_its_threshold():
    incidence, meets = rules.village_exit(
        np.array([1, 2, 3, 0]), np.array([100, 100, 100, 0]), np.array([0.02, 0.02, 0.03, 0.02])
    )
    assert incidence.tolist() == [0.01, 0.02, 0.03, 0.0]
    # 2 % is not below 2 %; a village of no people exits nothing.
    assert meets.tolist() == [True, False, False, False]


def test_thresholds_by_province_and_west():
    assert rules.incidence_threshold("33", False) == 0.02
    assert rules.incidence_threshold("52", True) == 0.03
    assert rules.incidence_threshold("52", True, {"province_incidence": {"52": 0.025}}) == 0.025


def test_county_needs_every_figure_known_and_within_its_bound():
    assert rules.county_meets(0.01, 0.01, 0.015, 0.95, 0.02)
    assert not rules.county_meets(0.01, 0.02, 0.015, 0.95, 0.02)
    assert not rules.county_meets(0.01, 0.01, 0.015, 0.89, 0.02)
    assert not rules.county_meets(0.01, 0.01, 0.015, None, 0.02)


def test_the_line_after_2020_is_the_monitoring_line():
    assert rules.poverty_line(2018) == 3535
    assert rules.poverty_line(2025) == 7600
