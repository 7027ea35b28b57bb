"""Exit indicators of a generated county equal a count written here over the same rows, and
the CLI prints the same figures."""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import select

from zhucun.core.scope import Area, Scope, bind
from zhucun.divisions.models import Division
from zhucun.identification.exits import queries, rules
from zhucun.registry.models import Household, HouseholdIncome


def _by_loop(session, year: int):
    line = rules.poverty_line(year)
    incomes = {
        (i.county_code, i.household_id): i.wage + i.production + i.property + i.transfer - i.production_costs
        for i in session.scalars(select(HouseholdIncome).where(HouseholdIncome.year == year))
    }
    people, poor = defaultdict(int), defaultdict(int)
    exited = wrong = outside = missed = 0
    for h in session.scalars(select(Household)):
        size = h.member_count or 0
        people[h.village_code] += size
        if h.status in ("11", "13"):
            poor[h.village_code] += size
        net = incomes.get((h.county_code, h.id))
        below = net is not None and float(net) / max(size, 1) < line
        if h.status in ("12", "14"):
            exited += 1
            wrong += below
        if h.status == "00":
            outside += 1
            missed += below
    return people, poor, (exited, wrong, outside, missed)


def test_indicators_equal_a_count_over_the_same_rows(register_db, cli):
    with register_db.begin(write=False) as session:
        bind(session, Scope.everywhere())
        county = session.scalars(select(Division).where(Division.level == "county")).first()
        area = Area.of(county.code)
        villages = queries.villages(session, area)
        found = queries.indicators(session, area, villages, county.code[:2], county.is_western)
        people, poor, errors = _by_loop(session, found.year)
    assert {v.code: (v.people, v.poor_people) for v in villages} == {c: (people[c], poor[c]) for c in people}
    for v in villages:
        assert v.meets == (people[v.code] > 0 and poor[v.code] / people[v.code] < v.threshold)
    assert (found.exited, found.wrongly_exited, found.not_registered, found.missed) == errors
    assert found.exited > 0 and found.not_registered > 0
    assert found.wrong_rate == errors[1] / errors[0]
    # No democratic review recorded on an exit case yet: approval unknown, the county does not pass.
    assert (found.reviews, found.approval, found.meets) == (0, None, False)
    # Worst first.
    assert [v.incidence for v in villages] == sorted((v.incidence for v in villages), reverse=True)

    printed = cli(register_db.url)("identification", "exit-indicators", "--division", county.code, "--json")
    assert printed.exit_code == 0, printed.output
    data = json.loads(printed.output)
    assert data["indicators"]["missed"] == errors[3] and len(data["villages"]) == len(villages)
