"""When a yearly health check is overdue: the pure rule at its boundaries (the interval
counted from the later of the posting's start and the last check, the grace after the
start), and the same boundaries through the database with a posting and checks of the world."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from zhucun.core.auth import Principal
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.guarantee import queries, rules, service
from zhucun.selection.guarantee.schemas import HealthIn

TODAY = date(2026, 12, 5)


def _overdue(starts, lasts, interval=365, grace=30):
    return rules.health_overdue(
        np.array(starts, dtype="datetime64[D]"), np.array(lasts, dtype="datetime64[D]"), TODAY, interval, grace
    ).tolist()


def _ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def test_a_posting_of_today_or_later_is_never_overdue():
    assert _overdue([_ago(0), _ago(-10)], ["NaT", "NaT"], interval=0, grace=0) == [False, False]
    assert _overdue([_ago(0), _ago(-10)], ["NaT", "NaT"]) == [False, False]


def test_without_a_check_the_year_counts_from_the_posting_start():
    assert _overdue([_ago(365), _ago(366), _ago(100)], ["NaT"] * 3) == [False, True, False]


def test_a_check_counts_the_year_from_its_date_but_never_from_before_the_posting():
    assert _overdue([_ago(800)] * 2, [_ago(365), _ago(366)]) == [False, True]
    # A check before the posting does not make a new posting overdue: the start is later.
    assert _overdue([_ago(200)], [_ago(700)]) == [False]


def test_nobody_is_overdue_within_the_grace_after_the_start():
    # A province checking every 20 days still leaves 30 days after the posting's start.
    assert _overdue([_ago(30), _ago(31)], ["NaT", "NaT"], interval=20, grace=30) == [False, True]


def _posting(session, world) -> CadrePosting:
    return session.get(CadrePosting, (world.a.county[:6], world.a.posting_id))


def _overdue_ids(session, world) -> set[int]:
    return {c.id for c in queries.health_overdue(session, world.a.county, date.today())}


def test_the_overdue_list_through_the_database(session, world):
    today, cadre_id = date.today(), world.a.posted_cadre_id
    posting = _posting(session, world)
    for start, expected in [(today, False), (today + timedelta(days=10), False), (today - timedelta(days=366), True)]:
        posting.start_date = start
        session.flush()
        assert (cadre_id in _overdue_ids(session, world)) is expected, start
        assert queries.health_overdue_count(session, world.a.county, today) == len(_overdue_ids(session, world))
    posting.start_date = today - timedelta(days=900)
    session.flush()
    cadre = session.get(Cadre, (world.a.county[:6], cadre_id))
    old = today - timedelta(days=366)
    service.record_health_check(
        session, actor=Principal.system(), cadre=cadre, year=old.year, data=HealthIn(done=True, checked_on=old)
    )
    assert cadre_id in _overdue_ids(session, world)
    recent = today - timedelta(days=365)
    service.record_health_check(
        session,
        actor=Principal.system(),
        cadre=cadre,
        year=recent.year,
        data=HealthIn(done=True, checked_on=recent),
    )
    assert cadre_id not in _overdue_ids(session, world)
