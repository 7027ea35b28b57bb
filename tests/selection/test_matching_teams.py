"""Whole teams, checked from outside the solver: every hard rule recomputed in plain Python
from the instance's raw arrays (not ``check.violations``, which shares the solver's
``pair_faults``), on many small random instances with shortages and relatives; the
proposal never below the greedy (whole teams only), and optimal where it says so."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from itertools import combinations

import numpy as np
import pytest

from zhucun.selection.matching.check import violations
from zhucun.selection.matching.rules import Cadres, Villages
from zhucun.selection.matching.settings import SelectionRules
from zhucun.selection.matching.solver import FS, Instance, edges, greedy, solve

LEVEL = {"village": 12, "township": 9, "county": 6}


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    if any(math.isnan(x) for x in (lat1, lon1, lat2, lon2)):
        return 0.0  # a place unknown never refuses on distance
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(min(max(a, 0.0), 1.0)))


def allowed(inst: Instance, vi: int, ci: int, role: str) -> list[str]:
    """The pair and role rules a (village, cadre, role) breaks, from the raw columns."""
    v, c, r = inst.villages, inst.cadres, inst.rules
    code, broken = str(v.code[vi]), []
    if not (c.fs_ok[ci] if role == FS else c.member_ok[ci]):
        broken.append("role")
    if code[:6] != str(c.county[ci]):
        broken.append("county")
    n, home = LEVEL[r.hometown_level], str(c.hometown[ci])
    if home and home[:n] == code[:n]:
        broken.append("hometown")
    if c.kin_villages and code in c.kin_villages[ci]:
        broken.append("kin_village")
    if c.kin_office and code in c.kin_office[ci]:
        broken.append("kin_office")
    if _km(float(v.lat[vi]), float(v.lon[vi]), float(c.lat[ci]), float(c.lon[ci])) > r.max_distance_km:
        broken.append("distance")
    paired = int(c.unit[ci]) in (v.paired_units[vi] if v.paired_units else ())
    if (r.pairing == "differ" and paired) or (r.pairing == "match" and not paired):
        broken.append("pairing")
    return broken


def faults(inst: Instance, assignments: list[tuple[int, int, str, float]]) -> list[str]:
    """Every hard rule the proposal breaks, each found without the solver's helpers."""
    found = [f"{vi}/{ci}/{role}: {b}" for vi, ci, role, _ in assignments for b in allowed(inst, vi, ci, role)]
    found += [f"cadre {ci} twice" for ci, n in Counter(ci for _, ci, _, _ in assignments).items() if n > 1]
    team: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for vi, ci, role, _ in assignments:
        team[vi].append((ci, role))
    for vi, people in team.items():
        if sum(role == FS for _, role in people) != 1:
            found.append(f"village {vi}: not exactly one first secretary")
        if len(people) < inst.villages.team_size[vi]:
            found.append(f"village {vi}: {len(people)} of {inst.villages.team_size[vi]}")
        if len(people) > inst.villages.team_size[vi]:
            found.append(f"village {vi}: more posts filled than it has")
        for (a, _), (b, _) in combinations(people, 2):
            if (min(a, b), max(a, b)) in inst.kin_pairs:
                found.append(f"village {vi}: relatives {a} and {b}")
    if inst.rules.unit_quota:
        units = Counter(int(inst.cadres.unit[ci]) for _, ci, _, _ in assignments)
        found += [f"unit {u} over quota" for u, n in units.items() if n > inst.rules.unit_quota]
    return found


def greedy_whole(inst: Instance) -> float:
    """The greedy baseline's value once its incomplete teams are taken out."""
    e = edges(inst)
    chosen = greedy(inst, e)
    people = Counter(int(e.village[k]) for k in chosen)
    return float(sum(e.value[k] for k in chosen if people[int(e.village[k])] == inst.villages.team_size[e.village[k]]))


def random_instance(seed: int) -> Instance:
    """Small and varied: one or two counties, sometimes far fewer cadres than posts, many
    pairs of relatives, quotas and pairing rules drawn too."""
    rng = np.random.default_rng(seed)
    counties, nv = int(rng.integers(1, 3)), int(rng.integers(3, 10))
    nc = int(rng.integers(3, 4 * nv + 4))
    county_v = rng.integers(0, counties, nv)
    codes = np.array([f"5227{90 + k:02d}{101 + i % 3:03d}{200 + i:03d}" for i, k in enumerate(county_v)])
    villages = Villages(
        code=codes,
        needs=rng.random((nv, 4)) < 0.4,
        lat=26 + rng.random(nv) * 0.8,
        lon=107 + rng.random(nv) * 0.8,
        team_size=rng.integers(3, 5, nv),
        paired_units=[frozenset({int(rng.integers(0, 3))}) for _ in range(nv)],
    )
    cadres = Cadres(
        id=np.arange(500, 500 + nc),
        county=np.array([f"5227{90 + k:02d}" for k in rng.integers(0, counties, nc)]),
        unit=rng.integers(0, 3, nc),
        skills=rng.random((nc, 4)) < 0.4,
        hometown=np.where(rng.random(nc) < 0.3, rng.choice(codes, nc), ""),
        lat=np.where(rng.random(nc) < 0.1, np.nan, 26 + rng.random(nc) * 0.8),
        lon=107 + rng.random(nc) * 0.8,
        previous=np.where(rng.random(nc) < 0.2, rng.choice(codes, nc), ""),
        fs_ok=rng.random(nc) < 0.5,
        member_ok=rng.random(nc) < 0.9,
        kin_villages=[frozenset(rng.choice(codes, int(rng.integers(0, 2)))) for _ in range(nc)],
        kin_office=[frozenset(rng.choice(codes, int(rng.integers(0, 2)))) for _ in range(nc)],
    )
    pairs = {tuple(sorted(map(int, rng.choice(nc, 2, replace=False)))) for _ in range(nc // 2)} if nc > 1 else set()
    rules = SelectionRules().merged(
        {
            "hometown_level": str(rng.choice(["township", "village"])),
            "max_distance_km": float(rng.choice([40.0, 300.0])),
            "unit_quota": int(rng.choice([0, 0, 4])),
            "pairing": str(rng.choice(["none", "none", "differ"])),
            "solver_seconds": 5.0,
        }
    )
    return Instance(villages, cadres, rules, pairs)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", range(40))
def test_every_proposal_keeps_every_hard_rule_in_whole_teams(seed):
    inst = random_instance(seed)
    proposal = solve(inst)
    assert faults(inst, proposal.assignments) == []
    assert violations(inst, [(v, c, r) for v, c, r, _ in proposal.assignments]) == []
    assert proposal.staffed == sorted({v for v, *_ in proposal.assignments})
    assert proposal.objective >= greedy_whole(inst) - 1e-6
    assert proposal.greedy_objective == pytest.approx(greedy_whole(inst))
    assert proposal.bound >= proposal.objective - 1e-6
    # Every post is filled or reported missing; an unstaffed village misses all of its posts.
    missing = dict(proposal.unfilled)
    for vi, size in enumerate(inst.villages.team_size):
        assert missing.get(vi, 0) == (0 if vi in proposal.staffed else size)


@pytest.mark.parametrize("seed", range(40))
def test_the_arcs_are_exactly_what_the_rules_allow(seed):
    inst = random_instance(seed)
    e = edges(inst)
    arcs = {(int(v), int(c), FS if r == 0 else "member") for v, c, r in zip(e.village, e.cadre, e.role, strict=True)}
    expected = {
        (vi, ci, role)
        for vi in range(len(inst.villages.code))
        for ci in range(len(inst.cadres.id))
        for role in (FS, "member")
        if not allowed(inst, vi, ci, role)
    }
    assert arcs == expected


def _best(inst: Instance) -> float:
    """The optimum by exhaustive search: each village staffed from the cadres left, or not."""
    e = edges(inst)
    value = {(int(v), int(c), int(r)): float(x) for v, c, r, x in zip(e.village, e.cadre, e.role, e.value, strict=True)}
    nv, nc, quota = len(inst.villages.code), len(inst.cadres.id), inst.rules.unit_quota

    def teams(vi: int, free: frozenset[int]):
        size = int(inst.villages.team_size[vi])
        for fs in free:
            if (vi, fs, 0) not in value:
                continue
            members = [c for c in free - {fs} if (vi, c, 1) in value]
            for rest in combinations(sorted(members), size - 1):
                people = (fs, *rest)
                if any((min(a, b), max(a, b)) in inst.kin_pairs for a, b in combinations(people, 2)):
                    continue
                yield people, value[vi, fs, 0] + sum(value[vi, c, 1] for c in rest)

    def go(vi: int, free: frozenset[int], used: Counter[int]) -> float:
        if vi == nv:
            return 0.0
        best = go(vi + 1, free, used)
        for people, gain in teams(vi, free):
            units = used + Counter(int(inst.cadres.unit[c]) for c in people)
            if quota and max(units.values()) > quota:
                continue
            best = max(best, gain + go(vi + 1, free - set(people), units))
        return best

    return go(0, frozenset(range(nc)), Counter())


@pytest.mark.parametrize("seed", range(100, 124))
def test_a_small_proposal_is_the_optimum_found_by_exhaustive_search(seed):
    rng = np.random.default_rng(seed)
    inst = random_instance(seed)
    keep_v = np.arange(min(3, len(inst.villages.code)))
    keep_c = np.sort(rng.choice(len(inst.cadres.id), min(8, len(inst.cadres.id)), replace=False))
    from zhucun.selection.matching.solver import _part

    small = _part(inst, keep_v, keep_c)
    proposal = solve(small)
    assert faults(small, proposal.assignments) == []
    assert proposal.objective == pytest.approx(_best(small), abs=1e-6)
    assert proposal.bound >= proposal.objective - 1e-6


def test_too_few_cadres_make_whole_teams_never_lone_first_secretaries():
    # The demo's shape: 25 marked villages, 14 cadres who may serve anywhere in either role.
    # Post by post, the flow would give 13 villages a lone first secretary; four whole teams
    # of three (12 cadres) is what the rule allows.
    nv, nc = 25, 14
    villages = Villages(
        code=np.array([f"522790101{200 + i:03d}" for i in range(nv)]),
        needs=np.zeros((nv, 1), dtype=bool),
        lat=np.full(nv, 26.0),
        lon=np.full(nv, 107.0),
        team_size=np.full(nv, 3),
        paired_units=[frozenset()] * nv,
    )
    cadres = Cadres(
        id=np.arange(nc),
        county=np.array(["522790"] * nc),
        unit=np.zeros(nc, dtype=int),
        skills=np.zeros((nc, 1), dtype=bool),
        hometown=np.array([""] * nc),
        lat=np.full(nc, 26.0),
        lon=np.full(nc, 107.0),
        previous=np.array([""] * nc),
        fs_ok=np.ones(nc, dtype=bool),
        member_ok=np.ones(nc, dtype=bool),
    )
    proposal = solve(Instance(villages, cadres, SelectionRules(), set()))
    assert len(proposal.staffed) == 4 and len(proposal.assignments) == 12
    assert faults(Instance(villages, cadres, SelectionRules(), set()), proposal.assignments) == []
    assert proposal.objective == pytest.approx(4 * (200 + 2 * 100))
    assert proposal.bound == pytest.approx(proposal.objective) and proposal.gap == 0
    assert sum(m for _, m in proposal.unfilled) == 3 * 21


@pytest.mark.parametrize("seed", [0, 7, 13, 31])
def test_without_cp_sat_the_repair_loop_still_proposes_whole_teams(monkeypatch, seed):
    # CP-SAT out of time with nothing found: the repaired flow (or the greedy) stands, and
    # the bound stays the flow's relaxation, above what is proposed.
    from zhucun.selection.matching import solver

    monkeypatch.setattr(solver, "best_teams", lambda **_: None)
    inst = random_instance(seed)
    proposal = solve(inst)
    assert {proposal.method} <= {"repair", "greedy", "mixed", "flow"}
    assert faults(inst, proposal.assignments) == []
    assert proposal.objective >= greedy_whole(inst) - 1e-6
    assert proposal.bound > proposal.objective


def test_the_checker_of_manual_edits_names_an_incomplete_team_and_a_missing_first_secretary():
    inst = random_instance(9)
    proposal = solve(inst)
    village = proposal.staffed[0]
    team = [(v, c, r) for v, c, r, _ in proposal.assignments if v == village]
    size = int(inst.villages.team_size[village])
    lone = [t for t in team if t[2] == FS]
    assert violations(inst, lone) == [("team_incomplete", {"village": village, "n": size})]
    headless = [t for t in team if t[2] != FS]
    assert violations(inst, headless) == [
        ("no_first_secretary", {"village": village}),
        ("team_incomplete", {"village": village, "n": size}),
    ]
