"""Monitoring rules without a database: the signals of a register (numpy columns), the
category proposed, the level an overdue case is escalated to."""

from __future__ import annotations

from datetime import date

import numpy as np

from zhucun.identification import rules as identification
from zhucun.identification.monitoring import rules
from zhucun.procedures.calendar import add_days


def test_identification_signals_flag_low_income_per_head_and_heavy_spending():
    income = np.array([12000.0, 30000.0, 8000.0, 0.0, np.nan])
    members = np.array([3, 3, 0, 2, 4])
    spending = np.array([0.0, 20000.0, 1000.0, 500.0, 9000.0])
    low, heavy = identification.signals(income, members, spending, 6000.0, 0.5)
    # 4,000 a head is below 6,000; 10,000 is not; no members counts as one; no income is below.
    assert low.tolist() == [True, False, False, True, False]
    # 20,000 of 30,000 is above half; 1,000 of 8,000 is not; spending without income is heavy.
    assert heavy.tolist() == [False, True, False, True, False]


def test_the_line_is_exclusive_and_the_share_configurable():
    income, members = np.array([18000.0, 18000.0]), np.array([3, 3])
    spending = np.array([9000.0, 9001.0])
    low, heavy = identification.signals(income, members, spending, 6000.0, 0.5)
    assert low.tolist() == [False, False]  # exactly on the line is not below it
    assert heavy.tolist() == [False, True]
    _low, heavier = identification.signals(income, members, spending, 6000.0, 0.6)
    assert heavier.tolist() == [False, False]


def test_signal_bits_combine_the_three_signals():
    bits = rules.signal_bits(
        np.array([3000.0, 60000.0, 60000.0, 60000.0]),
        np.array([1, 1, 1, 1]),
        np.array([0.0, 40000.0, 0.0, 0.0]),
        np.array([True, False, True, False]),
        line=6000.0,
        share=0.5,
    )
    assert bits.tolist() == [rules.LOW_INCOME | rules.SUDDEN_EVENT, rules.HEAVY_SPENDING, rules.SUDDEN_EVENT, 0]
    found = rules.signalled(bits)
    assert found.positions.tolist() == [0, 1, 2]
    assert rules.signalled(bits, rules.SUDDEN_EVENT).positions.tolist() == [0, 2]
    assert rules.names_of(int(bits[0])) == ["low_income", "sudden_event"]


def test_the_category_follows_the_signal_and_the_status():
    assert rules.category(rules.SUDDEN_EVENT | rules.LOW_INCOME, "12") == "23"
    assert rules.category(rules.LOW_INCOME, "12") == "21"
    assert rules.category(rules.HEAVY_SPENDING, "14") == "21"
    assert rules.category(rules.LOW_INCOME, "00") == "22"


def test_the_holder_of_a_step():
    assert rules.holder(frozenset({"first_secretary", "village_committee"})) == "village"
    assert rules.holder(frozenset({"township"})) == "township"
    assert rules.holder(frozenset({"rr_bureau"})) == "county"


def test_an_overdue_case_goes_one_level_up_then_two_and_never_twice():
    opened = date(2026, 3, 2)  # a Monday
    last = add_days(opened, 15, working=True)
    day_after = add_days(last, 1, working=True)
    kwargs = {"working": True, "held_by": "village"}
    assert rules.escalation(opened, 15, last, current=None, **kwargs) is None
    assert rules.escalation(opened, 15, day_after, current=None, **kwargs) == "township"
    assert rules.escalation(opened, 15, day_after, current="township", **kwargs) is None
    much_later = add_days(opened, 31, working=True)
    assert rules.escalation(opened, 15, much_later, current="township", **kwargs) == "county"
    assert rules.escalation(opened, 15, much_later, current="county", **kwargs) is None
    # A case the township holds goes to the county at once; the county keeps it.
    assert rules.escalation(opened, 15, day_after, working=True, held_by="township", current=None) == "county"
    assert rules.escalation(opened, 15, day_after, working=True, held_by="county", current=None) == "county"


def test_working_days_skip_the_national_holiday():
    opened = date(2026, 9, 28)
    # Fifteen calendar days later the October holiday has eaten most of the working days.
    assert rules.escalation(opened, 15, date(2026, 10, 13), working=True, held_by="village", current=None) is None
    assert rules.escalation(opened, 15, date(2026, 10, 13), working=False, held_by="village", current=None) is None
    assert rules.escalation(opened, 15, date(2026, 10, 14), working=False, held_by="village", current=None) == (
        "township"
    )
