"""How fast the matching proposes a province's work teams, and the helpers rule assigns a
province's households, each against its baseline in the same run.

    python -m bench.run --only matching [--quick]

Matching: 20,000 villages × 100,000 candidates (100 counties of 200 villages and 1,000
nominated cadres; quick: 4 counties), generated vectorised. The solver proposes whole teams:
the OR-Tools min-cost flow where it settles every team, CP-SAT in the counties where two
relatives landed in one team; timed with its objective, the bound (CP-SAT's, or the flow's
where the flow alone is the optimum) and the gap. The greedy baseline (its whole teams only)
is measured on the same arcs. Goal: ≤ 30 s wall clock and a gap ≤ 0.1 %.

Helpers: 1,000,000 households in care over 4,000 villages and 250,000 posted helpers
(quick: 50,000 households), by the vectorised rule; the baseline is a per-household Python
loop (the same circles: village, township, county) on a sample, its time scaled up. Goal:
≤ 30 s wall clock for the million.

The goal is judged on wall time, what the operator waits; CPU time is printed beside it.
Measured once (2 shared cores, load average 8, nice 19, 2026-12-05, whole teams): matching
84.0 s wall, 22.0 s CPU — the goal is missed on that saturated machine and would be met with
a core to itself; objective 11,938,962.05 = bound (gap 0: CP-SAT proved the counties with
relatives optimal), no post unfilled; greedy 11,842,181.97 (0.8 % lower) in 8.1 s CPU.
Helpers: 1,000,000 households in 1.56 s wall (0.39 s CPU), none without, none over the cap.
"""

from __future__ import annotations

import time

import numpy as np

from zhucun.selection.helpers import rules as helper_rules
from zhucun.selection.matching.rules import Cadres, Villages
from zhucun.selection.matching.settings import NEED_CODES, SelectionRules
from zhucun.selection.matching.solver import Instance, _part, _summary, edges, greedy, solve, whole

SEED = 20261205


def run(env) -> dict:
    counties = 4 if env.quick else 100
    households = 50_000 if env.quick else 1_000_000
    results = {"matching": matching(counties), "helpers": helpers(households, sample=5_000)}
    return results


# --- matching -----------------------------------------------------------------------------


def province(counties: int, villages_each: int = 200, cadres_each: int = 1_000) -> Instance:
    """A synthetic province, every column drawn at once."""
    rng = np.random.default_rng(SEED)
    nv, nc, k = counties * villages_each, counties * cadres_each, len(NEED_CODES)
    county_v = np.repeat(np.arange(counties), villages_each)
    township = rng.integers(100, 115, nv)
    seq = np.tile(np.arange(villages_each), counties) + 200
    codes = np.char.add(
        np.char.add(np.char.add("52", np.char.zfill((county_v + 100).astype(str), 4)), township.astype(str)),
        seq.astype(str),
    )
    centre_lat, centre_lon = 24 + rng.random(counties) * 4, 104 + rng.random(counties) * 5
    villages = Villages(
        code=codes.astype("<U12"),
        needs=rng.random((nv, k)) < 0.25,
        lat=centre_lat[county_v] + rng.normal(0, 0.25, nv),
        lon=centre_lon[county_v] + rng.normal(0, 0.25, nv),
        team_size=rng.integers(3, 6, nv),
        paired_units=[frozenset()] * nv,
    )
    county_c = np.repeat(np.arange(counties), cadres_each)
    own_village = county_c * villages_each + rng.integers(0, villages_each, nc)
    home = np.where(rng.random(nc) < 0.05, codes[own_village], "")
    kin = rng.random(nc) < 0.1
    cadres = Cadres(
        id=np.arange(1, nc + 1, dtype=np.int64),
        county=np.char.add("52", np.char.zfill((county_c + 100).astype(str), 4)).astype("<U6"),
        unit=rng.integers(0, 400, nc),
        skills=rng.random((nc, k)) < 0.25,
        hometown=home.astype("<U12"),
        lat=centre_lat[county_c] + rng.normal(0, 0.3, nc),
        lon=centre_lon[county_c] + rng.normal(0, 0.3, nc),
        previous=np.where(rng.random(nc) < 0.1, codes[own_village], "").astype("<U12"),
        fs_ok=rng.random(nc) < 0.45,
        member_ok=rng.random(nc) < 0.92,
        kin_villages=[frozenset({codes[v]}) if k_ else frozenset() for v, k_ in zip(own_village, kin, strict=True)],
        kin_office=[frozenset()] * nc,
    )
    # A few pairs of related cadres in each county, for the one-team rule.
    a = rng.integers(0, nc, nc // 200)
    b = np.clip(a + rng.integers(1, 20, len(a)), 0, nc - 1)
    same = cadres.county[a] == cadres.county[b]
    pairs = {(int(min(x, y)), int(max(x, y))) for x, y in zip(a[same], b[same], strict=True) if x != y}
    return Instance(villages, cadres, SelectionRules(), pairs)


def matching(counties: int) -> dict:
    started = time.perf_counter()
    inst = province(counties)
    generated = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    proposal = solve(inst)
    solved, solved_cpu = time.perf_counter() - started, time.process_time() - cpu
    # The greedy baseline alone, on the same arcs, county by county as the solver goes.
    greedy_seconds, greedy_value, greedy_unfilled = 0.0, 0.0, 0
    for county in np.unique(inst.cadres.county):
        part = _part(
            inst,
            np.flatnonzero(np.char.startswith(inst.villages.code, county)),
            np.flatnonzero(inst.cadres.county == county),
        )
        e = edges(part)
        t = time.process_time()
        chosen = whole(part, e, greedy(part, e))  # its whole teams only, as the rule wants
        greedy_seconds += time.process_time() - t
        value, missing = _summary(part, e, chosen)
        greedy_value += value
        greedy_unfilled += sum(m for _, m in missing)
    posts = int(inst.villages.team_size.sum())
    result = {
        "villages": len(inst.villages.code),
        "candidates": len(inst.cadres.id),
        "posts": posts,
        "generate_seconds": round(generated, 2),
        "ortools_seconds": round(solved, 2),
        # The machine is shared: CPU time says what the solver costs when it has a core.
        "ortools_cpu_seconds": round(solved_cpu, 2),
        "objective": round(proposal.objective, 2),
        "bound": round(proposal.bound, 2),
        "gap": proposal.gap,
        "unfilled": sum(m for _, m in proposal.unfilled),
        "method": proposal.method,
        "greedy_cpu_seconds": round(greedy_seconds, 2),
        "greedy_objective": round(greedy_value, 2),
        "greedy_unfilled": greedy_unfilled,
        # The goal is the wall time the operator waits, whatever the CPU time says.
        "goal_met": solved <= 30 and proposal.gap <= 0.001,
    }
    print(
        f"matching {result['villages']} villages × {result['candidates']} candidates: "
        f"{solved:.1f} s ({solved_cpu:.1f} s CPU), objective {proposal.objective:.0f}, "
        f"bound {proposal.bound:.0f}, gap {proposal.gap:.4%}, "
        f"unfilled {result['unfilled']}; greedy {greedy_value:.0f} ({greedy_seconds:.1f} s CPU), "
        f"unfilled {greedy_unfilled}; flow − greedy = {proposal.objective - greedy_value:.0f}",
        flush=True,
    )
    return result


# --- helpers --------------------------------------------------------------------------------


def helper_instance(households: int) -> helper_rules.Instance:
    rng = np.random.default_rng(SEED)
    villages = max(households // 250, 10)
    helpers = households // 4
    # Village codes as integers: 15 townships of a county, counties of 200 villages.
    county = np.arange(villages) // 200
    code = 520100000000 + county * 1_000_000 + (np.arange(villages) % 15 + 100) * 1000 + np.arange(villages) % 200
    village_of = rng.integers(0, villages, households)
    status = rng.choice(np.array(["11", "12", "13", "21", "22"]), households, p=[0.2, 0.5, 0.1, 0.1, 0.1])
    attribute = np.where(rng.random(households) < 0.05, helper_rules.EXTREME_POVERTY, "1")
    helper_village = code[rng.integers(0, villages, helpers)]
    current = np.where(rng.random(households) < 0.5, rng.integers(0, helpers, households), -1)
    return helper_rules.Instance(
        village=code[village_of],
        weight=helper_rules.weights(status, attribute),
        current=current.astype(np.int64),
        helper_village=helper_village.astype(np.int64),
        cap=np.full(helpers, helper_rules.DEFAULT_CAP, dtype=np.int64),
    )


def loop_baseline(instance: helper_rules.Instance, sample: int) -> float:
    """Seconds per household of a plain loop: keep the current helper if room, else the
    first helper with room in the village, the township, then the county."""
    load = [0] * len(instance.cap)
    by_key: dict[int, list[int]] = {}
    for h, v in enumerate(instance.helper_village.tolist()):
        for key in (v, v // 1000, v // 1_000_000):
            by_key.setdefault(key, []).append(h)
    cap = instance.cap.tolist()
    started = time.process_time()
    for i in range(sample):
        w, v, now = int(instance.weight[i]), int(instance.village[i]), int(instance.current[i])
        if now >= 0 and load[now] + w <= cap[now]:
            load[now] += w
            continue
        for key in (v, v // 1000, v // 1_000_000):
            found = next((h for h in by_key.get(key, ()) if load[h] + w <= cap[h]), None)
            if found is not None:
                load[found] += w
                break
    return (time.process_time() - started) / sample


def helpers(households: int, sample: int) -> dict:
    instance = helper_instance(households)
    started, cpu = time.perf_counter(), time.process_time()
    result = helper_rules.assign(instance)
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    per_household = loop_baseline(instance, min(sample, households))
    loads = helper_rules.loads(instance, result)
    out = {
        "households": households,
        "helpers": len(instance.cap),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "without": int((result < 0).sum()),
        "over_cap": int((loads > instance.cap).sum()),
        "loop_seconds_estimated": round(per_household * households, 1),
        "loop_sample": min(sample, households),
        "speedup_cpu": round(per_household * households / cpu_seconds, 1) if cpu_seconds else None,
        "goal_met": seconds <= 30,
    }
    print(
        f"helpers {households} households, {len(instance.cap)} helpers: {seconds:.2f} s ({cpu_seconds:.2f} s CPU) "
        f"(loop on {out['loop_sample']}: ≈ {out['loop_seconds_estimated']} s CPU for all, ×{out['speedup_cpu']}); "
        f"without {out['without']}, over the cap {out['over_cap']}",
        flush=True,
    )
    return out
