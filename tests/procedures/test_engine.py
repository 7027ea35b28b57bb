"""The procedure engine without a database: every transition and every named refusal."""

from __future__ import annotations

from datetime import date

import pytest

from zhucun.procedures import definitions as d
from zhucun.procedures.calendar import OK, ORANGE, RED, add_days, lateness
from zhucun.procedures.engine import (
    APPROVED,
    OBJECT,
    PASS,
    REJECT,
    SIGN,
    Action,
    Actor,
    CaseState,
    Moved,
    Refusal,
    advance,
    enter,
)

DAY = date(2026, 3, 2)  # a Monday
REG = d.registration()
SHUJI = Actor(1, frozenset({"first_secretary"}))
CUNWEI = Actor(2, frozenset({"village_committee"}))
BOTH = Actor(3, frozenset({"first_secretary", "village_committee"}))
ZHEN = Actor(4, frozenset({"township"}))
COUNTY = Actor(5, frozenset({"rr_bureau"}))
REVIEW = {"date": "2026-03-02", "attendees": 30, "votes_for": 20, "votes_against": 6, "abstaining": 4}


def at(step: str, **kw) -> CaseState:
    return enter(REG, CaseState(step=REG.first, entered_on=DAY, **kw), step, DAY)


def moved(result) -> Moved:
    assert isinstance(result, Moved), result
    return result


def refused(result, rule: str) -> None:
    assert isinstance(result, Refusal), result
    assert result.rule == rule


def test_a_registration_runs_every_step_to_approval():
    state = CaseState(step="collect", entered_on=DAY)
    state = moved(advance(REG, state, Action(PASS, DAY), SHUJI)).state
    assert state.step == "review"
    state = moved(advance(REG, state, Action(PASS, DAY, review=REVIEW), CUNWEI)).state
    state = moved(advance(REG, state, Action(SIGN, DAY, body=d.WORK_TEAM), SHUJI)).state
    assert state.step == "verify" and state.signatures == {(d.WORK_TEAM, 1)}
    result = moved(advance(REG, state, Action(SIGN, DAY, body=d.VILLAGE_COMMITTEE), CUNWEI))
    assert result.event == "verified" and result.to_step == "notice1" and result.notice_opened
    state = result.state
    assert state.notice_ends == date(2026, 3, 9)
    state = moved(advance(REG, state, Action(PASS, date(2026, 3, 9)), ZHEN)).state
    state = moved(advance(REG, state, Action(PASS, date(2026, 3, 10)), ZHEN)).state
    assert state.step == "notice2"
    state = moved(advance(REG, state, Action(PASS, date(2026, 3, 17)), COUNTY)).state
    final = moved(advance(REG, state, Action(PASS, date(2026, 3, 18)), COUNTY))
    assert final.event == "approved" and final.state.status == APPROVED


def test_one_account_never_carries_both_signatures_even_with_both_roles():
    state = moved(advance(REG, at("verify"), Action(SIGN, DAY, body=d.WORK_TEAM), BOTH)).state
    refused(advance(REG, state, Action(SIGN, DAY, body=d.VILLAGE_COMMITTEE), BOTH), "one_account_one_signature")


def test_a_body_signs_once_and_only_its_members_sign_for_it():
    state = moved(advance(REG, at("verify"), Action(SIGN, DAY, body=d.WORK_TEAM), SHUJI)).state
    refused(
        advance(REG, state, Action(SIGN, DAY, body=d.WORK_TEAM), Actor(9, frozenset({"team_member"}))), "body_signed"
    )
    refused(advance(REG, at("verify"), Action(SIGN, DAY, body=d.WORK_TEAM), CUNWEI), "not_of_body")
    refused(advance(REG, at("verify"), Action(PASS, DAY), SHUJI), "needs_signatures")


def test_a_notice_cannot_be_shortened():
    state = at("notice1")
    refused(advance(REG, state, Action(PASS, date(2026, 3, 8)), ZHEN), "notice_running")
    assert isinstance(advance(REG, state, Action(PASS, date(2026, 3, 9)), ZHEN), Moved)


def test_an_objection_reopens_the_case_and_the_notice_runs_again_in_full():
    state = at("notice1")
    result = moved(advance(REG, state, Action(OBJECT, date(2026, 3, 5), reason="收入不实"), Actor(None, frozenset())))
    assert result.state.step == "review" and result.event == "reopened" and result.state.round == 2
    refused(
        advance(REG, state, Action(OBJECT, date(2026, 3, 9), reason="晚了"), Actor(None, frozenset())), "notice_ended"
    )
    refused(advance(REG, at("township"), Action(OBJECT, DAY, reason="x"), Actor(None, frozenset())), "no_notice")


def test_wrong_role_failed_rules_and_a_review_that_does_not_carry_are_refused_by_name():
    refused(advance(REG, at("township"), Action(PASS, DAY), SHUJI), "wrong_role")
    result = advance(REG, at("collect"), Action(PASS, DAY, failed=("income",)), SHUJI)
    refused(result, "rules_failed")
    assert result.params["rules"] == ("income",)
    refused(advance(REG, at("review"), Action(PASS, DAY), CUNWEI), "review_missing")
    lost = {**REVIEW, "votes_for": 15}
    refused(advance(REG, at("review"), Action(PASS, DAY, review=lost), CUNWEI), "review_not_carried")


def test_a_related_case_is_verified_only_from_outside_the_village():
    state = at("verify", related=True)
    refused(advance(REG, state, Action(SIGN, DAY, body=d.WORK_TEAM), SHUJI), "related_outside_village")
    refused(advance(REG, state, Action(SIGN, DAY, body=d.WORK_TEAM), ZHEN), "related_needs_pass")
    assert moved(advance(REG, state, Action(PASS, DAY), ZHEN)).to_step == "notice1"


def test_a_rejection_needs_a_reason_and_returns_where_the_procedure_says():
    refused(advance(REG, at("township"), Action(REJECT, DAY), ZHEN), "reason_required")
    result = moved(advance(REG, at("township"), Action(REJECT, DAY, reason="收入核实有误"), ZHEN))
    assert result.to_step == "collect" and result.state.round == 2


def test_closed_cases_refuse_everything():
    state = CaseState(step="county", entered_on=DAY, status=APPROVED)
    refused(advance(REG, state, Action(PASS, DAY), COUNTY), "case_closed")


def test_procedures_round_trip_as_data():
    for procedure in d.defaults():
        assert d.Procedure.from_data(procedure.to_data()) == procedure


@pytest.mark.parametrize(
    ("today", "expected"),
    [(date(2026, 3, 4), OK), (date(2026, 3, 9), ORANGE), (date(2026, 3, 16), ORANGE), (date(2026, 3, 17), RED)],
)
def test_lateness_is_orange_at_half_the_working_days_and_red_when_overrun(today, expected):
    # Ten working days from Monday 2 March 2026 (no holidays then): 5 used on 9 March, 11 on the 17th.
    assert lateness(DAY, 10, today, working=True) == expected


def test_fifteen_working_days_from_a_monday_end_three_weeks_later():
    assert add_days(DAY, 15, working=True) == date(2026, 3, 23)


def test_working_days_skip_the_national_day_holiday():
    # 30 September 2025 + 1 working day: 1–8 October are holidays, 9 October is a working day.
    assert add_days(date(2025, 9, 30), 1, working=True) == date(2025, 10, 9)
