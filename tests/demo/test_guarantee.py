"""Incentive and guarantee in the demo: written over the generated county's teams (in a
transaction rolled back, so the shared county stays as generated), each first secretary
with a fund and the team's, spent within them; a policy per cadre in post, a few ending
within the warning days; this year's check for most, so that the overdue list is short."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from sqlalchemy import text

from tests.demo.conftest import Generated
from zhucun.core.scope import Scope, bind
from zhucun.demo import guarantee
from zhucun.selection.guarantee import queries

TODAY = date(2026, 6, 30)


def _rows(session, sql: str) -> list[tuple]:
    return [tuple(r) for r in session.execute(text(sql))]


def _written(county: Generated, seed: int) -> tuple[dict[str, int], dict[str, list[tuple]], dict[str, int]]:
    session = county.db.session(write=True)
    try:
        bind(session, Scope.everywhere())
        counts = guarantee.write(session, seed=seed, today=TODAY)
        tables = {
            "posted": _rows(session, "SELECT cadre_id, village_code, role FROM cadre_postings WHERE end_date IS NULL"),
            "funds": _rows(
                session, "SELECT id, kind, year, cadre_id, village_code, amount, spent FROM guarantee_funds"
            ),
            "spendings": _rows(session, "SELECT fund_id, cadre_id, spent_on, amount, purpose FROM guarantee_spendings"),
            "policies": _rows(session, "SELECT cadre_id, insurer, number, starts_on, ends_on FROM guarantee_policies"),
            "checks": _rows(session, "SELECT cadre_id, year, done, checked_on FROM guarantee_health_checks"),
        }
        code = tables["posted"][0][1][:6]
        found = {
            "expiring": queries.expiring_count(session, code, TODAY),
            "overdue": queries.health_overdue_count(session, code, TODAY),
        }
        return counts, tables, found
    finally:
        session.rollback()
        session.close()


def test_funds_policies_and_checks_for_the_teams(county: Generated) -> None:
    counts, t, found = _written(county, seed=3)
    secretaries = {(c, v) for c, v, role in t["posted"] if role == "1"}
    cadres = {c for c, _v, _r in t["posted"]}
    assert Counter(f[1] for f in t["funds"]) == {"secretary": len(secretaries), "team": len(secretaries)}
    assert {(f[3], f[4]) for f in t["funds"]} == secretaries and {f[2] for f in t["funds"]} == {TODAY.year}
    spent = Counter()
    for fund_id, _cadre, day, amount, purpose in t["spendings"]:
        spent[fund_id] += amount
        assert date.fromisoformat(str(day)) <= TODAY and date.fromisoformat(str(day)).year == TODAY.year and purpose
    assert all(0 < spent[f[0]] == f[6] <= f[5] for f in t["funds"])
    assert sorted(p[0] for p in t["policies"]) == sorted(cadres)
    ends = [date.fromisoformat(str(p[4])) for p in t["policies"]]
    assert all(e > TODAY for e in ends)
    soon = sum(e <= TODAY + timedelta(days=30) for e in ends)
    assert 1 <= soon < len(ends) / 4 and found["expiring"] == soon
    this_year = {c for c, year, done, _d in t["checks"] if year == TODAY.year and done}
    assert len(this_year) >= 0.7 * len(cadres) and len({c[0] for c in t["checks"]}) == len(t["checks"])
    assert 0 < found["overdue"] <= len(cadres) - len(this_year)
    assert counts == {
        "guarantee_funds": len(t["funds"]),
        "guarantee_spendings": len(t["spendings"]),
        "guarantee_policies": len(cadres),
        "guarantee_health_checks": len(t["checks"]),
    }


def test_the_same_seed_writes_the_same_rows(county: Generated) -> None:
    def shape(t: dict[str, list[tuple]]) -> tuple:
        # Ids come from the counters (rolled back between the runs); what is drawn is compared.
        return (
            sorted(f[1:] for f in t["funds"]),
            sorted(s[1:] for s in t["spendings"]),
            sorted(t["policies"]),
            sorted(t["checks"]),
        )

    first, second, other = (_written(county, seed)[1] for seed in (3, 3, 4))
    assert shape(first) == shape(second) and shape(first) != shape(other)
