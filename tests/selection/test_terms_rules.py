"""Pure term rules, without a database: term ends, the warning window, what rotation takes,
what a handover lacks, and the best replacement."""

from __future__ import annotations

from datetime import date

import numpy as np

from zhucun.selection.terms import rules


def test_a_term_ends_the_day_before_its_anniversary_unless_fixed():
    ends = rules.term_ends(
        [date(2024, 3, 1), date(2024, 2, 29), date(2025, 6, 1)], [2, 2, 3], [None, None, date(2026, 2, 28)]
    )
    assert ends.tolist() == [date(2026, 2, 28), date(2026, 2, 27), date(2026, 2, 28)]


def test_the_warning_window_takes_terms_ending_from_today_up_to_n_days():
    ends = np.array(["2026-01-01", "2026-01-10", "2026-04-01", "2026-04-02", "2025-12-31"], dtype="datetime64[D]")
    assert rules.ending_within(ends, date(2026, 1, 1), 90).tolist() == [True, True, True, False, False]
    assert rules.ending_within(ends, date(2026, 1, 1), 0).tolist() == [True, False, False, False, False]


def test_rotation_takes_the_terms_of_the_year_that_have_ended():
    ends = np.array(["2026-02-28", "2026-02-28", "2028-02-28"], dtype="datetime64[D]")
    terms = np.array([2024, 2023, 2026])
    assert rules.due(ends, terms, 2024, date(2026, 3, 1)).tolist() == [True, False, False]
    assert rules.due(ends, terms, 2024, date(2026, 2, 27)).tolist() == [False, False, False]


def test_missing_items_keep_the_checklists_order():
    assert rules.missing_items(["documents", "diaries", "seal"], ["seal"]) == ["documents", "diaries"]
    assert rules.missing_items(["seal"], ["seal", "other"]) == []


def test_the_best_candidate_is_the_allowed_one_of_highest_value():
    allowed = np.array([True, False, True, True])
    assert rules.best_candidate(allowed, np.array([1.0, 9.0, 3.0, 3.0])) == 2
    assert rules.best_candidate(np.zeros(3, dtype=bool), np.array([1.0, 2.0, 3.0])) is None


def test_a_term_has_ended_once_its_last_day_is_past():
    ends = np.array(["2025-12-30", "2025-12-31", "2026-01-01"], dtype="datetime64[D]")
    assert rules.ended_by(ends, date(2026, 1, 1)).tolist() == [True, True, False]
    # The last day is still served: warned (0 days left), not yet overdue.
    assert rules.ending_within(ends, date(2026, 1, 1), 90).tolist() == [False, False, True]
