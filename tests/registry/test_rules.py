"""The register's pure rules, without a database."""

from __future__ import annotations

from decimal import Decimal

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


def test_an_income_summary_nets_the_costs_and_compares_per_head_with_the_line():
    figures = {"wage": Decimal("9000"), "production": Decimal("2000"), "production_costs": Decimal("500")}
    summary = rules.income_summary(figures, 3, 4000)
    assert summary.total == Decimal("10500")
    assert summary.per_head == Decimal("3500.00")
    assert summary.below is True
    assert rules.income_summary(figures, 2, 4000).below is False
    # A household of no recorded size counts as one, as the register's filter does.
    assert rules.income_summary(figures, None, 4000).per_head == Decimal("10500.00")
