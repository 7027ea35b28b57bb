"""Selection rules and the matching without a database: eligibility named per cadre, the
avoidance rules, and the solver's output checked against every hard rule on random
instances, never below the greedy baseline."""

from __future__ import annotations

import numpy as np
import pytest

from zhucun.selection.matching.check import assignment_faults, violations
from zhucun.selection.matching.refusals import listing, pair_refusals
from zhucun.selection.matching.rules import CadreFacts, Cadres, Villages, eligibility
from zhucun.selection.matching.settings import SelectionRules
from zhucun.selection.matching.solver import FS, Instance, edges, posts, solve

NAN = float("nan")


def test_eligibility_names_each_failed_rule_per_cadre():
    facts = CadreFacts(
        age=np.array([35, 30, 60, NAN, 40]),
        work_years=np.array([10, 1, 30, 5, 8]),
        party_years=np.array([5, NAN, 20, 3, 0.0]),
        health=np.array(["1", "1", "3", "1", "1"]),
        posted=np.array([False, False, False, False, True]),
        discipline=np.array([False, False, True, False, False]),
    )
    fs_ok, member_ok, faults = eligibility(facts, SelectionRules())
    assert fs_ok.tolist() == [True, False, False, False, False]
    assert member_ok.tolist() == [True, True, False, False, False]
    assert faults[0] == []
    assert {code for code, _ in faults[1]} == {"full_member_years", "work_years"}
    assert all(p.get("role") == "first_secretary" for _, p in faults[1])
    assert {code for code, _ in faults[2]} == {"too_old", "health", "discipline"}
    assert [code for code, _ in faults[3]] == ["age_unknown"]
    assert [code for code, _ in faults[4]] == ["already_posted"]


def test_every_number_is_configurable():
    rules = SelectionRules().merged(
        {"fs_party_years": 0, "probation_years": 0, "fs_work_years": 0, "max_age": 70, "unknown": 1}
    )
    facts = CadreFacts(
        age=np.array([65.0]),
        work_years=np.array([0.0]),
        party_years=np.array([0.0]),
        health=np.array(["1"]),
        posted=np.array([False]),
        discipline=np.array([False]),
    )
    fs_ok, _, _ = eligibility(facts, rules)
    assert fs_ok.tolist() == [True] and rules.extra == {"unknown": 1}


def _instance(seed: int, villages: int, cadres: int, counties: int = 2, **overrides) -> Instance:
    rng = np.random.default_rng(seed)
    county_of_v = rng.integers(0, counties, villages)
    codes = np.array([f"5227{90 + c:02d}{100 + i % 20:03d}{200 + i:03d}" for i, c in enumerate(county_of_v)])
    v = Villages(
        code=codes,
        needs=rng.random((villages, 6)) < 0.3,
        lat=26 + rng.random(villages),
        lon=107 + rng.random(villages),
        team_size=rng.integers(3, 5, villages),
        paired_units=[frozenset({int(rng.integers(0, 4))}) for _ in range(villages)],
    )
    home = rng.choice(codes, cadres)
    c = Cadres(
        id=np.arange(1000, 1000 + cadres),
        county=np.array([f"5227{90 + k:02d}" for k in rng.integers(0, counties, cadres)]),
        unit=rng.integers(0, 4, cadres),
        skills=rng.random((cadres, 6)) < 0.3,
        hometown=np.where(rng.random(cadres) < 0.3, home, ""),
        lat=26 + rng.random(cadres),
        lon=107 + rng.random(cadres),
        previous=np.where(rng.random(cadres) < 0.2, rng.choice(codes, cadres), ""),
        fs_ok=rng.random(cadres) < 0.4,
        member_ok=rng.random(cadres) < 0.9,
        kin_villages=[frozenset(rng.choice(codes, 2)) for _ in range(cadres)],
        kin_office=[frozenset(rng.choice(codes, 1)) for _ in range(cadres)],
    )
    pairs = {tuple(sorted(map(int, rng.choice(cadres, 2, replace=False)))) for _ in range(cadres // 3)}
    rules = SelectionRules().merged({"hometown_level": "township", "max_distance_km": 120, **overrides})
    return Instance(v, c, rules, pairs)


@pytest.mark.parametrize(
    ("seed", "villages", "cadres", "overrides"),
    [
        (1, 12, 60, {}),
        (2, 20, 50, {"unit_quota": 8}),
        (3, 15, 90, {"pairing": "differ"}),
        (4, 10, 70, {"pairing": "match", "kin_degree": 3}),
        (5, 30, 40, {"team_size": 4}),
        (6, 25, 150, {"unit_quota": 20, "max_distance_km": 60}),
    ],
)
def test_the_solver_keeps_every_hard_rule_and_beats_greedy(seed, villages, cadres, overrides):
    inst = _instance(seed, villages, cadres, **overrides)
    proposal = solve(inst)
    chosen = [(vi, ci, role) for vi, ci, role, _ in proposal.assignments]
    assert violations(inst, chosen) == []
    assert proposal.objective >= proposal.greedy_objective - 1e-6
    assert proposal.bound >= proposal.objective - 1e-6 and 0 <= proposal.gap < 1
    # Every post is either filled or reported missing.
    missing = sum(m for _, m in proposal.unfilled)
    assert len(chosen) + missing == int(posts(inst).sum())
    assert proposal.objective == pytest.approx(sum(value for *_, value in proposal.assignments))


def test_avoidance_is_named_for_a_manual_edit():
    inst = _instance(7, 6, 20)
    inst.cadres.hometown[0] = inst.villages.code[0]
    inst.cadres.county[0] = inst.villages.code[0][:6]
    inst.cadres.lat[0], inst.cadres.lon[0] = inst.villages.lat[0], inst.villages.lon[0]
    inst.cadres.kin_villages[0] = frozenset({inst.villages.code[0]})
    inst.cadres.fs_ok[0] = False
    codes = {code for code, _ in assignment_faults(inst, 0, 0, FS)}
    assert codes >= {"hometown", "kin_in_village", "not_eligible"}


def test_relatives_are_never_placed_in_one_team():
    # Two relatives who suit one village best: the flow would take both, CP-SAT keeps one and
    # proves it the optimum, so the bound is the objective (the relaxation's 430 is not).
    v = Villages(
        code=np.array(["522790101201"]),
        needs=np.array([[True]]),
        lat=np.array([26.0]),
        lon=np.array([107.0]),
        team_size=np.array([3]),
        paired_units=[frozenset()],
    )
    n = 4
    c = Cadres(
        id=np.arange(n),
        county=np.array(["522790"] * n),
        unit=np.zeros(n, dtype=int),
        skills=np.array([[True], [True], [True], [False]]),
        hometown=np.array([""] * n),
        lat=np.full(n, 26.0),
        lon=np.full(n, 107.0),
        previous=np.array([""] * n),
        fs_ok=np.array([True, False, False, False]),
        member_ok=np.ones(n, dtype=bool),
        kin_villages=[frozenset()] * n,
        kin_office=[frozenset()] * n,
    )
    inst = Instance(v, c, SelectionRules(), {(1, 2)})
    proposal = solve(inst)
    team = sorted(ci for _, ci, _, _ in proposal.assignments)
    assert team in ([0, 1, 3], [0, 2, 3])
    assert proposal.method == "cp-sat" and proposal.staffed == [0]
    assert proposal.objective == pytest.approx(420.0) and proposal.bound == pytest.approx(proposal.objective)


@pytest.mark.parametrize(("seed", "overrides"), [(11, {}), (12, {"pairing": "differ"}), (13, {"max_distance_km": 40})])
def test_the_refused_are_exactly_the_eligible_pairs_without_an_arc(seed, overrides):
    # Every eligible candidate of a village's county either has an arc to it or is named
    # refused — with the rule that assignment_faults (the hand edit's check) names too.
    inst = _instance(seed, 14, 80, **overrides)
    e = edges(inst)
    arcs = set(zip(e.village.tolist(), e.cadre.tolist(), strict=True))
    refused = {(vi, ci): codes for vi, ci, codes in pair_refusals(inst)}
    assert refused, "the instance has avoidance to name"
    c, v = inst.cadres, inst.villages
    for vi, code in enumerate(v.code):
        for ci in np.flatnonzero((c.county == code[:6]) & (c.fs_ok | c.member_ok)):
            assert ((vi, ci) in arcs) != ((vi, ci) in refused), (vi, ci)
    for (vi, ci), codes in refused.items():
        role = FS if c.fs_ok[ci] else "member"
        named = {code for code, _ in assignment_faults(inst, vi, ci, role)} - {"not_eligible"}
        assert set(codes) == named


def test_a_relative_of_a_team_member_is_refused_for_that_team_and_labelled():
    inst = _instance(14, 6, 30, hometown_level="county")
    a, b = sorted(next(iter(inst.kin_pairs)))
    inst.cadres.fs_ok[[a, b]] = inst.cadres.member_ok[[a, b]] = True
    inst.cadres.county[b] = inst.cadres.county[a]
    village = int(np.flatnonzero(np.char.startswith(inst.villages.code, inst.cadres.county[a]))[0])
    found = {(vi, ci): codes for vi, ci, codes in pair_refusals(inst, [(village, a)])}
    assert "kin_in_team" in found[(village, b)]
    named = listing(inst, [[] for _ in inst.cadres.id], [(village, a)])
    entry = next(r for r in named["refused"] if r["cadre_id"] == int(inst.cadres.id[b]))
    rule = next(r for r in entry["rules"] if r["code"] == "kin_in_team")
    assert rule["label"] and rule["label"] != "kin_in_team"
    # A relative placed in the team by a hand edit is no longer named refused for it.
    again = {(vi, ci): codes for vi, ci, codes in pair_refusals(inst, [(village, a), (village, b)])}
    assert "kin_in_team" not in again.get((village, b), [])


@pytest.mark.parametrize("seed", [21, 22])
def test_a_province_solved_county_by_county_has_the_optimum_and_bound_of_one_flow(seed):
    from zhucun.selection.matching.solver import _solve_one

    inst = _instance(seed, 30, 120, counties=3)
    inst.kin_pairs.clear()  # without relatives to repair, both are the exact optimum
    apart, whole = solve(inst), _solve_one(inst, 200)
    assert apart.objective == pytest.approx(whole.objective) and apart.bound == pytest.approx(whole.bound)
    assert apart.greedy_objective == pytest.approx(whole.greedy_objective)
    assert violations(inst, [(v, c, r) for v, c, r, _ in apart.assignments]) == []
