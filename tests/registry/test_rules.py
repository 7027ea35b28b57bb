"""The register's pure rules, without a database."""

from __future__ import annotations

from zhucun.registry import rules


def test_a_household_has_exactly_one_head():
    assert rules.has_one_head(["01", "10", "20"])
    assert rules.has_one_head(["02"])
    assert not rules.has_one_head(["10", "20"])
    assert not rules.has_one_head(["01", "02"])
    assert not rules.has_one_head([])


def test_a_second_head_is_seen_whether_added_or_changed():
    assert rules.would_add_a_head(True, None, "01")
    assert not rules.would_add_a_head(False, None, "01")
    assert not rules.would_add_a_head(True, None, "20")
    # The head keeps being the head: no second one.
    assert not rules.would_add_a_head(True, "01", "02")
    assert rules.would_add_a_head(True, "20", "01")
