"""Allowance arithmetic without a database: working days of a posting inside a month by the
official calendar (holidays off, make-up weekends on), month boundaries, and the amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import numpy as np

from zhucun.selection.guarantee import rules
from zhucun.selection.guarantee.settings import GuaranteeRules

OCTOBER_2025 = date(2025, 10, 1)


def _days(month, *postings):
    starts = np.array([s for s, _e in postings], dtype="datetime64[D]")
    ends = np.array([e if e else rules.NONE for _s, e in postings], dtype="datetime64[D]")
    return rules.posted_workdays(month, starts, ends).tolist()


def test_national_day_week_is_off_and_the_make_up_saturday_is_worked():
    # October 2025: 1–8 October off (National Day and Mid-Autumn), Saturday 11 October worked.
    mask = rules.workday_mask(OCTOBER_2025)
    assert mask[:8].sum() == 0
    assert mask[10]  # Saturday 11 October
    assert not mask[11]  # Sunday 12 October
    assert mask.sum() == 18


def test_a_posting_counts_only_the_working_days_inside_the_month():
    assert _days(
        OCTOBER_2025,
        (date(2024, 3, 1), None),  # open, begun long before: the whole month
        (date(2025, 10, 9), date(2025, 10, 12)),  # Thu, Fri, Sat (make-up), Sun → 3
        (date(2025, 9, 1), date(2025, 10, 8)),  # ends inside the holiday → 0
        (date(2025, 10, 31), None),  # starts on the last day, a Friday → 1
        (date(2025, 11, 1), None),  # starts after the month → 0
        (date(2025, 1, 1), date(2025, 9, 30)),  # ended before the month → 0
    ) == [18, 3, 0, 1, 0, 0]


def test_a_make_up_sunday_before_the_month_does_not_count_in_it():
    # Sunday 28 September 2025 is a working day of September, not of October.
    assert _days(date(2025, 9, 1), (date(2025, 9, 28), None)) == [3]
    assert _days(OCTOBER_2025, (date(2025, 9, 28), None)) == [18]


def test_leap_february_and_the_spring_festival():
    # February 2024: 10–17 February off, Sundays 4 and 18 February worked; 29 days.
    assert rules.workday_mask(date(2024, 2, 1)).size == 29
    assert _days(date(2024, 2, 1), (date(2024, 2, 19), date(2024, 2, 29))) == [9]
    assert _days(date(2024, 2, 1), (date(2024, 2, 18), date(2024, 2, 18))) == [1]


def test_days_are_summed_per_cadre():
    ids, days = rules.per_cadre(np.array([7, 3, 7]), np.array([4, 10, 5]))
    assert ids.tolist() == [3, 7] and days.tolist() == [10, 9]


def test_amounts_for_a_whole_month_and_a_part_of_one():
    earned = rules.allowances(np.array([18, 9, 0, 20]), 18, GuaranteeRules())
    assert [rules.yuan(v) for v in earned.work] == [Decimal("1000.00"), Decimal("500.00"), 0, Decimal("1000.00")]
    # Meals and transport are per day in the village, weekends included when recorded.
    assert [rules.yuan(v) for v in earned.meals] == [Decimal("720.00"), Decimal("360.00"), 0, Decimal("800.00")]
    assert [rules.yuan(v) for v in earned.transport] == [Decimal("900.00"), Decimal("450.00"), 0, Decimal("1000.00")]
    assert [rules.yuan(v) for v in earned.phone] == [Decimal("100.00"), Decimal("50.00"), 0, Decimal("100.00")]
    assert rules.yuan(earned.total[0]) == Decimal("2720.00")


def test_shares_round_half_up_to_the_fen():
    # One day of 21: 1000/21 = 47.619… → 47.62; the phone's 100/21 = 4.7619… → 4.76.
    earned = rules.allowances(np.array([1]), 21, GuaranteeRules())
    assert rules.yuan(earned.work[0]) == Decimal("47.62")
    assert rules.yuan(earned.phone[0]) == Decimal("4.76")


def test_a_province_overrides_the_defaults_for_a_year():
    mine = GuaranteeRules().merged({"meals_day": "30", "insurance_warning_days": 45, "unknown": 1})
    assert mine.meals_day == Decimal("30") and mine.insurance_warning_days == 45
    assert mine.transport_day == Decimal("50")
    earned = rules.allowances(np.array([2]), 20, mine)
    assert rules.yuan(earned.meals[0]) == Decimal("60.00")
