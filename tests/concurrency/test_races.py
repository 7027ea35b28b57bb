"""Concurrent requests at every kind of write route, on PostgreSQL: no 5xx, every refusal
located, counts and rules kept, history and audit trail chained, nothing personal logged."""

from __future__ import annotations

import re

import pytest

from tests.conftest import BACKEND

from .cases import CASES
from .harness import Case, Live, check_answers, fire

pytestmark = pytest.mark.skipif(
    BACKEND != "postgresql",
    reason="the concurrency harness needs PostgreSQL: SQLite runs one writer at a time (BEGIN IMMEDIATE), "
    "so requests cannot race there",
)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_concurrent_requests_keep_the_rules(live: Live, case: Case):
    prepared = case.prepare(live)
    answers = fire(live, [case.request(prepared, i) for i in range(case.n)])
    check_answers(answers, case.winners)
    case.check(live, prepared, answers)


def test_nothing_personal_reached_the_log(live: Live):
    """Runs after the races (same module): no traceback, no ID or household number logged."""
    written = live.log.getvalue()
    assert "Traceback" not in written, written[-3000:]
    leaked = [value for value in live.sent if value in written]
    assert leaked == []
    assert not re.search(r"\d{17}[\dX]", written)
