"""The register's multidimensional poverty per division equals a second computation: a plain
loop over the same rows, written here from the definitions (exact fractions, no numpy), so
that a slip in the SQL folding or in the vectorised tally shows as a difference."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from fractions import Fraction

from sqlalchemy import select

from zhucun.core.scope import Scope, bind
from zhucun.divisions.models import Division
from zhucun.identification.quality import mpi as register_mpi
from zhucun.registry.models import Household, HouseholdIncome, Member

YEARS = {"1": 0, "2": 6, "3": 9, "4": 12, "5": 12, "6": 15, "7": 16}


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def achievements_by_loop(session, year: int, line: float) -> dict[tuple[str, int], tuple[str, dict]]:
    members = defaultdict(list)
    for m in session.execute(select(Member)).scalars():
        if m.status == "1":
            members[(m.county_code, m.household_id)].append(m)
    incomes = {
        (i.county_code, i.household_id): i
        for i in session.execute(select(HouseholdIncome).where(HouseholdIncome.year == year)).scalars()
    }
    end = date(year, 12, 31)
    out = {}
    for h in session.execute(select(Household)).scalars():
        people = members[(h.county_code, h.id)]
        school = [YEARS[m.education] for m in people if m.education in YEARS]
        children = [m for m in people if m.birth_date and 6 <= _age(m.birth_date, end) <= 15]
        income = incomes.get((h.county_code, h.id))
        values = {
            "schooling": max(school) if school else None,
            "attendance": 0 if any((m.student or "0") == "0" for m in children) else 1,
            "health": 0 if any(m.health == "3" for m in people) else 1,
            "insurance": 0 if any(m.medical_insurance is not True for m in people) else 1,
            "housing": None if h.housing_safe is None else int(h.housing_safe),
            "water": None if h.water_safe is None else int(h.water_safe),
            "income": None
            if income is None
            else float(income.wage + income.production + income.property + income.transfer - income.production_costs)
            / max(h.member_count or 0, 1),
        }
        out[(h.county_code, h.id)] = (h.village_code, values)
    return out


def measure_by_loop(rows: list[dict], cutoffs: dict, weights: dict, k: Fraction) -> dict:
    n = len(rows)
    q, total = 0, Fraction(0)
    censored = dict.fromkeys(cutoffs, 0)
    for values in rows:
        deprived = [c for c in cutoffs if values[c] is not None and values[c] < cutoffs[c]]
        score = sum((weights[c] for c in deprived), Fraction(0))
        if score >= k:
            q += 1
            total += score
            for c in deprived:
                censored[c] += 1
    m0 = total / n if n else Fraction(0)
    return {
        "n": n,
        "H": Fraction(q, n) if n else Fraction(0),
        "A": total / q if q else Fraction(0),
        "M0": m0,
        "censored": {c: Fraction(censored[c], n) for c in cutoffs},
        "contribution": {c: (weights[c] * Fraction(censored[c], n) / m0 if m0 else Fraction(0)) for c in cutoffs},
    }


def _same(result, expected) -> None:
    assert result.n == expected["n"]
    assert (expected["H"], expected["A"], expected["M0"]) == (result.H, result.A, result.M0)
    assert result.censored_headcount == expected["censored"]
    assert result.contribution == expected["contribution"]


def test_register_measure_equals_a_plain_loop_per_township_and_village(register_db):
    with register_db.begin(write=False) as session:
        bind(session, Scope.everywhere())
        county = session.scalars(select(Division).where(Division.level == "county")).first()
        found = register_mpi.report(session, county)
        spec = found.spec
        rows = achievements_by_loop(session, found.year, spec.cutoffs["income"])
        township = session.get(Division, found.children[0].code)
        by_village = register_mpi.report(session, township)
    everything = [v for _village, v in rows.values()]
    assert found.total.n == len(rows) > 2000
    assert 0 < found.total.H < 1, "the generated register should have some, not all, households poor"
    _same(found.total, measure_by_loop(everything, spec.cutoffs, spec.weights, spec.k))
    for child in found.children:
        mine = [v for village, v in rows.values() if village.startswith(child.code[:9])]
        _same(child.result, measure_by_loop(mine, spec.cutoffs, spec.weights, spec.k))
    assert {c.code[:9] for c in by_village.children} == {township.code[:9]}
    for child in by_village.children:
        mine = [v for village, v in rows.values() if village == child.code]
        _same(child.result, measure_by_loop(mine, spec.cutoffs, spec.weights, spec.k))
    assert spec.weights["schooling"] == Fraction(1, 6) and spec.weights["water"] == Fraction(1, 9)


def test_every_indicator_has_deprived_households_on_the_generated_register(register_db):
    """The comparison above means something only if each indicator is met by some and
    missed by some households."""
    with register_db.begin(write=False) as session:
        bind(session, Scope.everywhere())
        county = session.scalars(select(Division).where(Division.level == "county")).first()
        found = register_mpi.report(session, county)
    assert all(h > 0 for h in found.total.censored_headcount.values()), str(found.total.censored_headcount)
    assert sum(found.total.contribution.values()) == 1


def test_the_command_prints_the_same_figures(register_db, cli):
    with register_db.begin(write=False) as session:
        bind(session, Scope.everywhere())
        county = session.scalars(select(Division).where(Division.level == "county")).first()
        found = register_mpi.report(session, county)
    printed = cli(register_db.url)("identification", "mpi", "--division", county.code, "--json")
    assert printed.exit_code == 0, printed.output
    data = json.loads(printed.output)
    assert data["total"]["n"] == found.total.n and data["total"]["M0"] == float(found.total.M0)
    assert [c["code"] for c in data["children"]] == [c.code for c in found.children]
    assert data["weights"]["schooling"] == "1/6" and data["k"] == "1/3"
