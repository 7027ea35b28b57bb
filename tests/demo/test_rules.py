"""The generator's pure parts, without a database: households, people, ID numbers,
divisions and the plan of counties."""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from zhucun.core.codes import level_of
from zhucun.core.idnumbers import check_many, mask
from zhucun.demo import county, geography, identity, people, poverty
from zhucun.demo.households import compose
from zhucun.demo.params import DEFAULTS, SIZE_SHARES
from zhucun.divisions.rules import structure_problem
from zhucun.registry.catalogues import RELATION


@pytest.fixture(scope="module")
def households():
    return compose(np.random.default_rng(7), 20_000)


def test_household_sizes_have_the_configured_mean(households) -> None:
    expected = sum((i + 1) * share for i, share in enumerate(SIZE_SHARES))
    assert households.size.min() == 1 and households.size.max() == 8
    assert households.size.mean() == pytest.approx(expected, abs=0.05)
    assert 3.1 < households.size.mean() < 3.4
    # Many households of one or two old people.
    old = np.bincount(households.household, weights=households.age < 60, minlength=len(households.size)) == 0
    assert 0.15 < (old & (households.size <= 2)).mean() < 0.35


def test_each_household_has_one_head_first(households) -> None:
    heads = np.bincount(households.household, weights=households.relation == "02")
    assert (heads == 1).all()
    assert (households.relation[households.start] == "02").all()
    assert set(households.relation.tolist()) <= set(RELATION.items)


def test_ages_and_sexes_follow_relations(households) -> None:
    head_age = households.age[households.start][households.household]
    head_male = households.male[households.start][households.household]
    gap = households.age - head_age
    relation, male = households.relation, households.male
    spouse = relation == "10"
    assert (male[spouse] != head_male[spouse]).all()
    assert (np.abs(gap[spouse]) <= 15).all()
    children = np.isin(relation, ("20", "30"))
    assert (gap[children] <= -14).all()
    assert (male[relation == "20"]).all() and not male[relation == "30"].any()
    grandchildren = np.isin(relation, ("41", "42", "43", "44"))
    assert (gap[grandchildren] <= -30).all()
    parents = np.isin(relation, ("51", "52"))
    assert (gap[parents] >= 15).all()
    assert male[relation == "51"].all() and not male[relation == "52"].any()
    assert not male[relation == "38"].any()
    assert (households.age[spouse | (relation == "38")] >= 20).all()


def test_siblings_differ_in_age(households) -> None:
    children = np.flatnonzero(np.isin(households.relation, ("41", "42", "43", "44")))
    pairs = Counter(zip(households.household[children].tolist(), households.age[children].tolist()))
    # Twins happen; a row of babies of one age in a household does not.
    assert max(pairs.values()) <= 2


def test_schooling_health_and_labour_by_age() -> None:
    rng = np.random.default_rng(3)
    age = rng.integers(0, 95, 50_000)
    male = rng.random(50_000) < 0.5
    p = people.people(rng, age, male, 2025 - age, np.full(50_000, "01"))
    assert (p.education[age < 3] == "8").all()
    assert (p.student[(age >= 7) & (age <= 11)] == "2").mean() > 0.95
    old, young = (age >= 75) & (age < 95), (age >= 25) & (age < 40)
    assert (p.education[old] == "1").mean() > 3 * (p.education[young] == "1").mean()
    assert (p.health[old] != "1").mean() > 3 * (p.health[young] != "1").mean()
    assert ((p.disability != "0") == (p.health == "4")).all()
    assert (p.labour[age < 16] == "5").all()
    assert (p.migrant_months[(age < 18) | (age > 55)] == 0).all()
    assert set(p.migrant_months[p.migrant_months > 0].tolist()) <= set(range(3, 13))


def test_poverty_causes_put_illness_first() -> None:
    rng = np.random.default_rng(5)
    comp = compose(rng, 30_000)
    p = people.people(rng, comp.age, comp.male, 2025 - comp.age, np.full(len(comp.age), "01"))
    facts = poverty.facts(comp, p)
    n = len(comp.size)
    status = poverty.statuses(
        rng,
        DEFAULTS,
        poverty.vulnerability(facts, comp.size),
        rng.random(n) < 0.3,
        np.zeros(n, bool),
        np.zeros(n, bool),
    )
    assert 0.035 < np.isin(status, poverty.MONITORED).mean() < 0.065
    assert "11" not in status  # nobody is still poor after 2020
    main, _other = poverty.causes(rng, status, facts)
    order = [code for code, _ in Counter(main[main != ""].tolist()).most_common()]
    assert order[0] == "01" and "02" in order[:3]
    poverty.fit_members(rng, comp, p, main)
    facts = poverty.facts(comp, p)
    assert (facts.ill[main == "01"] > 0).all() and (facts.disabled[main == "02"] > 0).all()


def test_id_numbers_are_valid_distinct_and_match_the_person() -> None:
    rng = np.random.default_rng(11)
    n = 60_000
    # Crowded on purpose: few birth dates, so sequences must be dealt out carefully.
    birth = np.datetime64("1980-01-01") + rng.integers(0, 200, n).astype("timedelta64[D]")
    male = rng.random(n) < 0.5
    region = np.where(rng.random(n) < 0.2, 520102, 522799)
    numbers = identity.id_numbers(rng, region, birth, male)
    assert len(set(numbers)) == n
    _normalized, reasons = check_many(numbers, genders=np.where(male, "1", "2").tolist(), today=DEFAULTS.as_of)
    assert set(reasons) == {None}
    assert [v[:6] for v in numbers[:100]] == [str(r) for r in region[:100]]
    assert [v[6:14] for v in numbers[:100]] == [str(b).replace("-", "") for b in birth[:100]]
    assert identity.masks(numbers[:500]) == [mask(v) for v in numbers[:500]]


def test_too_many_people_on_one_birthday_are_refused() -> None:
    rng = np.random.default_rng(1)
    with pytest.raises(ValueError):
        identity.id_numbers(
            rng, np.full(501, 522799), np.full(501, np.datetime64("1990-01-01")), np.ones(501, dtype=bool)
        )


def test_the_demo_county_is_unchanged_and_valid() -> None:
    rows, groups = county.generate(1)
    assert rows[2]["code"] == county.COUNTY[0] and len(rows) == 214 and len(groups) == 1333
    assert all(structure_problem(r["code"]) is None for r in rows)


@pytest.mark.parametrize("villages", [1, 12, 57, 200, 333])
def test_a_county_has_exactly_the_villages_asked_for(villages: int) -> None:
    _kinds, counts = county.layout(random.Random(villages), villages)
    assert sum(c + v for c, v in counts) == villages
    rows = []
    for spec in geography.plan(3, villages, villages * 100):
        county_rows, _groups = county.county_divisions(spec, 3)
        assert any(r.get("is_key_village") for r in county_rows)
        rows += county_rows[2:]  # the province and prefecture once
    assert len([r for r in rows if r["level"] == "village"]) == villages
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == len(codes)
    assert all(structure_problem(c) is None and level_of(c) == r["level"] for c, r in zip(codes, rows))


def test_larger_sizes_make_counties_under_real_provinces() -> None:
    specs = geography.plan(1, 30_000, 7_000_000)
    assert len(specs) == 150 and specs[0].code == county.COUNTY[0]
    assert sum(s.villages for s in specs) == 30_000 and sum(s.households for s in specs) == 7_000_000
    assert max(s.households for s in specs) <= geography.MAX_HOUSEHOLDS_PER_COUNTY
    assert len({s.code for s in specs}) == 150 and len({s.name for s in specs}) == 150
    for spec in specs:
        assert structure_problem(spec.code) is None and level_of(spec.code) == "county"
        assert spec.prefecture[0][:4] == spec.code[:4] and spec.province[0][:2] == spec.code[:2]
    # Guizhou fills first: a province-sized demo stays in one province.
    assert {s.province[1] for s in geography.plan(1, 12_000, 3_000_000)} == {"贵州省"}
    assert len({s.province[0] for s in specs}) > 1
