"""Eligibility facts and date plausibility: pure rules, no database."""

from __future__ import annotations

from datetime import date

from zhucun.core.i18n import use_locale
from zhucun.selection.rules import date_faults, eligibility, full_years

ON = date(2026, 11, 23)


def test_full_years_count_completed_anniversaries():
    assert full_years(date(2000, 11, 23), ON) == 26
    assert full_years(date(2000, 11, 24), ON) == 25
    assert full_years(ON, ON) == 0
    assert full_years(None, ON) is None
    assert full_years(date(2027, 1, 1), ON) is None


def test_a_leap_day_birthday_is_reached_on_the_first_of_march():
    born = date(2004, 2, 29)
    assert full_years(born, date(2026, 2, 28)) == 21
    assert full_years(born, date(2026, 3, 1)) == 22
    assert full_years(born, date(2028, 2, 29)) == 24


def test_eligibility_facts_of_a_first_secretary():
    facts = eligibility(
        birth_date=date(1982, 9, 15),
        work_started=date(2004, 7, 1),
        party_member=True,
        party_joined=date(2005, 6, 1),
        on=ON,
    )
    assert (facts.age, facts.years_of_work, facts.years_in_party) == (44, 22, 21)


def test_no_party_years_without_membership_and_none_for_unknown_dates():
    facts = eligibility(birth_date=None, work_started=None, party_member=False, party_joined=date(2005, 6, 1), on=ON)
    assert (facts.age, facts.years_of_work, facts.years_in_party) == (None, None, None)


def test_dates_in_the_future_or_before_birth_are_faults():
    faults = date_faults(
        birth_date=date(1990, 1, 1),
        work_started=date(1989, 1, 1),
        party_member=True,
        party_joined=date(2027, 1, 1),
        today=ON,
    )
    assert [field for field, _message in faults] == ["work_started", "party_joined"]
    with use_locale("en"):
        assert "birth date" in str(faults[0][1]) and "future" in str(faults[1][1])
    with use_locale("zh_CN"):
        assert "出生" in str(faults[0][1])


def test_a_joining_date_needs_membership():
    faults = date_faults(
        birth_date=date(1990, 1, 1), work_started=None, party_member=False, party_joined=date(2015, 1, 1), today=ON
    )
    assert [field for field, _message in faults] == ["party_joined"]
    assert (
        date_faults(
            birth_date=date(1990, 1, 1),
            work_started=date(2012, 7, 1),
            party_member=True,
            party_joined=date(2015, 1, 1),
            today=ON,
        )
        == []
    )


def test_a_cadre_holds_one_open_posting_and_postings_do_not_overlap():
    from zhucun.selection.rules import posting_clash

    assert posting_clash([], date(2025, 3, 1)) is None
    clash = posting_clash([(date(2024, 1, 1), None)], date(2025, 3, 1))
    assert (clash.code, clash.day) == ("already_posted", date(2024, 1, 1))
    ended = [(date(2022, 1, 1), date(2023, 6, 30)), (date(2023, 7, 1), date(2024, 12, 31))]
    clash = posting_clash(ended, date(2024, 12, 1))
    assert (clash.code, clash.day) == ("overlapping_posting", date(2024, 12, 31))
    assert posting_clash(ended, date(2025, 1, 1)) is None
