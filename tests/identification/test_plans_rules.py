"""The pure rules of causes and plans, without a database."""

from __future__ import annotations

from datetime import date

import numpy as np

from zhucun.identification.plans import rules
from zhucun.registry.catalogues import POVERTY_CAUSE

KNOWN = POVERTY_CAUSE.items


def test_causes_are_stored_once_each_and_the_wrong_field_is_named():
    parsed = rules.causes("01", ["08", "08", "10"], KNOWN)
    assert parsed == rules.Causes("01", ("08", "10"))
    assert parsed.stored_others() == "08,10" and parsed.all == ("01", "08", "10")
    assert rules.causes("77", [], KNOWN) == "main_cause"
    assert rules.causes("01", ["01"], KNOWN) == "other_causes"
    assert rules.causes(None, ["98"], KNOWN) == "other_causes"
    assert rules.causes(None, [], KNOWN).stored_others() is None


def test_unanswered_names_the_causes_no_measure_addresses():
    answers = {kind: causes for kind, _zh, _en, causes in rules.DEFAULT_KINDS}
    assert rules.unanswered(["01", "08"], ["medical"], answers) == ["08"]
    assert rules.unanswered(["01", "08"], ["medical", "training"], answers) == []
    assert rules.unanswered(["03"], [], answers) == ["03"]
    # A kind the catalogue no longer has answers nothing.
    assert rules.unanswered(["09"], ["gone"], answers) == ["09"]


def test_every_cause_of_the_catalogue_is_answered_by_some_default_kind():
    answered = {c for *_labels, causes in rules.DEFAULT_KINDS for c in causes.split(",")}
    assert set(KNOWN) <= answered


def test_deadlines_in_the_past_or_too_far_are_refused():
    today = date(2026, 5, 31)
    assert rules.deadline_problem(today, today) is None
    assert rules.deadline_problem(date(2026, 5, 30), today) == "past"
    assert rules.deadline_problem(date(2031, 5, 28), today) is None
    assert rules.deadline_problem(date(2031, 6, 1), today) == "too_far"


def test_overdue_is_open_after_the_deadline_over_a_whole_column():
    deadlines = np.array(["2026-01-01", "2026-01-01", "2026-03-01", "2025-12-31"], dtype="datetime64[D]")
    statuses = np.array(["planned", "done", "doing", "doing"])
    assert rules.overdue(deadlines, statuses, date(2026, 2, 1)).tolist() == [True, False, False, True]
    assert rules.overdue(np.array([], dtype="datetime64[D]"), np.array([]), date(2026, 2, 1)).tolist() == []


def test_status_follows_progress():
    assert rules.status_after(0, False) == "planned"
    assert rules.status_after(30, False) == "doing"
    assert rules.status_after(30, True) == "done"
