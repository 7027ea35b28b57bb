"""The matching of cadres to posts: a min-cost flow (OR-Tools) that fills as many posts as
possible with the best fit, a greedy baseline beside it, and a checker of every hard rule.

The network: source → unit (its quota) → cadre (once) → a village's first-secretary post
(capacity 1) or its member posts (team size − 1) → sink, and source → sink for posts left
empty. Only allowed pairs (same county, avoidance, pairing, distance, eligibility for the
role) have an arc, so every flow respects them. Two relatives in one team is not a flow
constraint: the flow without it is a relaxation whose value is the bound; a conflict is
repaired by removing the weaker arc and solving again, and the greedy result is kept if it
were ever better, so the proposal is never below the baseline and the gap is honest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike
from ortools.graph.python import min_cost_flow

from .rules import Cadres, Villages, fit, pair_faults, unit_capacity
from .settings import SelectionRules

FS, MEMBER = "first_secretary", "member"
SCALE = 100  # costs are integers: values in hundredths


@dataclass
class Instance:
    villages: Villages
    cadres: Cadres
    rules: SelectionRules
    kin_pairs: set[tuple[int, int]] = field(default_factory=set)  # cadre indexes, i < j


@dataclass
class Edges:
    village: np.ndarray
    cadre: np.ndarray
    role: np.ndarray  # 0 first secretary, 1 member
    value: np.ndarray


@dataclass
class Proposal:
    assignments: list[tuple[int, int, str, float]]  # village, cadre, role, value
    objective: float
    bound: float
    greedy_objective: float
    greedy_unfilled: int
    unfilled: list[tuple[int, int]]  # village, posts missing
    method: str = "flow"

    @property
    def gap(self) -> float:
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.objective) / self.bound)


def edges(inst: Instance) -> Edges:
    """Every allowed (village, cadre, role) with its value, built county by county."""
    v, c, r = inst.villages, inst.cadres, inst.rules
    by_county: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(v.code):
        by_county[code[:6]].append(i)
    parts = []
    for county, rows in by_county.items():
        vi = np.array(rows)
        ci = np.flatnonzero((c.county == county) & (c.fs_ok | c.member_ok))
        if not len(ci):
            continue
        broken = np.zeros((len(vi), len(ci)), dtype=bool)
        for failed in pair_faults(v, c, vi, ci, r).values():
            broken |= failed
        score = fit(v, c, vi, ci, r)
        for role, ok, post in ((0, c.fs_ok, r.fs_post_value), (1, c.member_ok, r.member_post_value)):
            rr, cc = np.nonzero(~broken & ok[ci][None, :])
            parts.append((vi[rr], ci[cc], np.full(len(rr), role), post + score[rr, cc]))
    if not parts:
        empty = np.array([], dtype=np.int64)
        return Edges(empty, empty, empty, np.array([], dtype=float))
    return Edges(*(np.concatenate([p[k] for p in parts]) for k in range(4)))


def posts(inst: Instance) -> np.ndarray:
    """(V, 2) posts per village: one first secretary, team size − 1 members."""
    return np.stack([np.ones(len(inst.villages.code), dtype=np.int64), inst.villages.team_size - 1], axis=1)


def _flow(inst: Instance, e: Edges) -> list[int]:
    """Indexes of the edges the optimal flow uses."""
    nv, nc = len(inst.villages.code), len(inst.cadres.id)
    units, unit_of = np.unique(inst.cadres.unit, return_inverse=True)
    quota = unit_capacity(inst.cadres, units, inst.rules.unit_quota)
    u0, c0 = 2, 2 + len(units)
    f0, m0 = c0 + nc, c0 + nc + nv
    need = posts(inst)
    total = int(need.sum())
    starts: list[ArrayLike] = [
        np.zeros(len(units)),
        u0 + unit_of,
        c0 + e.cadre,
        np.arange(nv) + f0,
        np.arange(nv) + m0,
        [0],
    ]
    ends: list[ArrayLike] = [
        u0 + np.arange(len(units)),
        c0 + np.arange(nc),
        np.where(e.role == 0, f0, m0) + e.village,
        [1] * nv,
    ]
    ends += [[1] * nv, [1]]
    caps: list[ArrayLike] = [quota, np.ones(nc), np.ones(len(e.cadre)), need[:, 0], need[:, 1], [total]]
    costs: list[ArrayLike] = [
        np.zeros(len(units)),
        np.zeros(nc),
        -np.rint(e.value * SCALE),
        np.zeros(nv),
        np.zeros(nv),
        [0],
    ]
    arcs = [np.asarray(np.concatenate(x), dtype=np.int64) for x in (starts, ends, caps, costs)]
    solver = min_cost_flow.SimpleMinCostFlow()
    ids = solver.add_arcs_with_capacity_and_unit_cost(*arcs)
    solver.set_node_supply(0, total)
    solver.set_node_supply(1, -total)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min cost flow ended with status {status}")
    first = len(units) + nc
    used = solver.flows(ids[first : first + len(e.cadre)])
    return list(np.flatnonzero(used > 0))


def _kin_clash(inst: Instance, e: Edges, chosen: list[int]) -> int | None:
    """The weaker edge of two relatives placed in one team, or None."""
    team: dict[int, list[int]] = defaultdict(list)
    for k in chosen:
        team[int(e.village[k])].append(k)
    for members in team.values():
        for a in members:
            for b in members:
                pair = (int(e.cadre[a]), int(e.cadre[b]))
                if pair[0] < pair[1] and pair in inst.kin_pairs:
                    return a if e.value[a] <= e.value[b] else b
    return None


def greedy(inst: Instance, e: Edges) -> list[int]:
    """The baseline: best-valued edges first, each taken when every rule still allows it."""
    left = posts(inst).tolist()
    open_posts = sum(map(sum, left))
    units_all = np.unique(inst.cadres.unit)
    capacity = unit_capacity(inst.cadres, units_all, inst.rules.unit_quota)
    quota = dict(zip(units_all.tolist(), capacity.tolist(), strict=True))
    taken: set[int] = set()
    team: dict[int, set[int]] = defaultdict(set)
    chosen = []
    order = np.argsort(-e.value, kind="stable")
    # Plain lists: the loop is the baseline's own cost, not numpy's per-item overhead.
    units = inst.cadres.unit.tolist()
    for k, vi, ci, role in zip(
        order.tolist(), e.village[order].tolist(), e.cadre[order].tolist(), e.role[order].tolist(), strict=True
    ):
        if not open_posts:
            break
        unit = units[ci]
        if ci in taken or left[vi][role] == 0 or quota[unit] == 0:
            continue
        if any((min(ci, o), max(ci, o)) in inst.kin_pairs for o in team[vi]):
            continue
        taken.add(ci)
        team[vi].add(ci)
        left[vi][role] -= 1
        open_posts -= 1
        quota[unit] -= 1
        chosen.append(k)
    return chosen


def _summary(inst: Instance, e: Edges, chosen: list[int]) -> tuple[float, list[tuple[int, int]]]:
    filled = np.zeros_like(posts(inst))
    np.add.at(filled, (e.village[chosen], e.role[chosen]), 1)
    missing = (posts(inst) - filled).sum(axis=1)
    return float(e.value[chosen].sum()), [(int(v), int(m)) for v, m in enumerate(missing) if m > 0]


def solve(inst: Instance, *, max_repairs: int = 200) -> Proposal:
    """The proposal for every village of the instance at once. Without unit quotas nothing
    ties one county to another (cadres serve in their own county), so a province is solved
    county by county: the same optimum and the same bound, in a fraction of the memory."""
    counties = np.unique(np.char.ljust(inst.villages.code.astype("<U6"), 6))
    if inst.rules.unit_quota or len(counties) < 2:
        return _solve_one(inst, max_repairs)
    parts = []
    for county in counties:
        vi = np.flatnonzero(np.char.startswith(inst.villages.code, county))
        ci = np.flatnonzero(inst.cadres.county == county)
        parts.append((vi, ci, _solve_one(_part(inst, vi, ci), max_repairs)))
    return _joined(parts)


def _part(inst: Instance, vi: np.ndarray, ci: np.ndarray) -> Instance:
    """The villages ``vi`` and cadres ``ci`` of an instance, renumbered from 0."""
    v, c = inst.villages, inst.cadres
    villages = Villages(
        **{f: getattr(v, f)[vi] for f in ("code", "needs", "lat", "lon", "team_size")},
        paired_units=[v.paired_units[i] for i in vi] if v.paired_units else [],
    )
    fields = ("id", "county", "unit", "skills", "hometown", "lat", "lon", "previous", "fs_ok", "member_ok")
    cadres = Cadres(
        **{f: getattr(c, f)[ci] for f in fields},
        kin_villages=[c.kin_villages[i] for i in ci] if c.kin_villages else [],
        kin_office=[c.kin_office[i] for i in ci] if c.kin_office else [],
    )
    new = {int(old): k for k, old in enumerate(ci)}
    pairs = {(new[a], new[b]) for a, b in inst.kin_pairs if a in new and b in new}
    return Instance(villages, cadres, inst.rules, {(min(p), max(p)) for p in pairs})


def _joined(parts: list[tuple[np.ndarray, np.ndarray, Proposal]]) -> Proposal:
    """Per-county proposals as one, in the whole instance's numbering."""
    assignments, unfilled = [], []
    for vi, ci, p in parts:
        assignments += [(int(vi[v]), int(ci[c]), role, value) for v, c, role, value in p.assignments]
        unfilled += [(int(vi[v]), m) for v, m in p.unfilled]
    methods = {p.method for _, _, p in parts}
    return Proposal(
        assignments=assignments,
        objective=sum(p.objective for *_, p in parts),
        bound=sum(p.bound for *_, p in parts),
        greedy_objective=sum(p.greedy_objective for *_, p in parts),
        greedy_unfilled=sum(p.greedy_unfilled for *_, p in parts),
        unfilled=sorted(unfilled),
        method=methods.pop() if len(methods) == 1 else "mixed",
    )


def _solve_one(inst: Instance, max_repairs: int) -> Proposal:
    """One flow (with its repairs) over the whole instance."""
    e = edges(inst)
    chosen = _flow(inst, e)
    bound, _ = _summary(inst, e, chosen)
    keep = np.ones(len(e.cadre), dtype=bool)
    for _ in range(max_repairs):
        weak = _kin_clash(inst, e, chosen)
        if weak is None:
            break
        keep[weak] = False
        sub = Edges(*(getattr(e, n)[keep] for n in ("village", "cadre", "role", "value")))
        index = np.flatnonzero(keep)
        chosen = [int(index[k]) for k in _flow(inst, sub)]
    base = greedy(inst, e)
    base_value, base_unfilled = _summary(inst, e, base)
    method = "flow"
    if _kin_clash(inst, e, chosen) is not None or _summary(inst, e, chosen)[0] < base_value:
        chosen, method = base, "greedy"
    objective, unfilled = _summary(inst, e, chosen)
    roles = (FS, MEMBER)
    return Proposal(
        assignments=[(int(e.village[k]), int(e.cadre[k]), roles[int(e.role[k])], float(e.value[k])) for k in chosen],
        objective=objective,
        bound=max(bound, objective),
        greedy_objective=base_value,
        greedy_unfilled=sum(m for _, m in base_unfilled),
        unfilled=unfilled,
        method=method,
    )
