"""The matching of cadres to posts in whole teams: a village gets one first secretary and
its team size in all, or nobody; two relatives are never in one team.

A min-cost flow (OR-Tools) is the relaxation: source → unit (its quota) → cadre (once) → a
village's first-secretary post (capacity 1) or its member posts (team size − 1) → sink, and
source → sink for posts left empty. Only allowed pairs (same county, avoidance, pairing,
distance, eligibility for the role) have an arc, so every flow keeps those rules. When the
optimal flow leaves every village complete or empty and no relatives together, it is the
optimum. Otherwise CP-SAT (``cpsat``) decides which villages are staffed, started from the
best of the repaired flow, the flow on the greedy's villages and the greedy, within the
settings' time; its bound is reported. The greedy baseline keeps whole teams only, and the
proposal is never below it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike
from ortools.graph.python import min_cost_flow

from .cpsat import Network, Teams, best_teams, reduced_costs
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
    staffed: list[int] = field(default_factory=list)  # villages given a whole team

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
            # In hundredths, as the flow and CP-SAT count them, so that bound and objective agree.
            parts.append((vi[rr], ci[cc], np.full(len(rr), role), np.round(post + score[rr, cc], 2)))
    if not parts:
        empty = np.array([], dtype=np.int64)
        return Edges(empty, empty, empty, np.array([], dtype=float))
    return Edges(*(np.concatenate([p[k] for p in parts]) for k in range(4)))


def posts(inst: Instance) -> np.ndarray:
    """(V, 2) posts per village: one first secretary, team size − 1 members."""
    return np.stack([np.ones(len(inst.villages.code), dtype=np.int64), inst.villages.team_size - 1], axis=1)


def _network(inst: Instance, e: Edges, need: np.ndarray, keep: np.ndarray | None) -> tuple[Network, slice, int]:
    """The arcs of the flow (edges outside ``keep`` get no capacity), where the edges' arcs
    sit among them, and how much flows from source to sink."""
    nv, nc = len(inst.villages.code), len(inst.cadres.id)
    units, unit_of = np.unique(inst.cadres.unit, return_inverse=True)
    quota = unit_capacity(inst.cadres, units, inst.rules.unit_quota)
    u0, c0 = 2, 2 + len(units)
    f0, m0 = c0 + nc, c0 + nc + nv
    total = int(need.sum())
    tail: list[ArrayLike] = [
        np.zeros(len(units)),
        u0 + unit_of,
        c0 + e.cadre,
        f0 + np.arange(nv),
        m0 + np.arange(nv),
        [0],
    ]
    head: list[ArrayLike] = [
        u0 + np.arange(len(units)),
        c0 + np.arange(nc),
        np.where(e.role == 0, f0, m0) + e.village,
        [1] * nv,
        [1] * nv,
        [1],
    ]
    edge_cap = np.ones(len(e.cadre)) if keep is None else keep
    cap: list[ArrayLike] = [quota, np.ones(nc), edge_cap, need[:, 0], need[:, 1], [total]]
    cost: list[ArrayLike] = [np.zeros(len(units) + nc), -np.rint(e.value * SCALE), np.zeros(2 * nv), [0]]
    arrays = [np.asarray(np.concatenate(x), dtype=np.int64) for x in (tail, head, cap, cost)]
    first = len(units) + nc
    tails, heads, caps, costs = arrays
    net = Network(tails, heads, caps, costs, flow=np.zeros(0, dtype=np.int64), nodes=m0 + nv)
    return net, slice(first, first + len(e.cadre)), total


def _flow_network(
    inst: Instance, e: Edges, need: np.ndarray | None = None, keep: np.ndarray | None = None
) -> tuple[Network, slice]:
    """The optimal flow over the allowed edges, as its network with every arc's flow."""
    net, arcs, total = _network(inst, e, posts(inst) if need is None else need, keep)
    solver = min_cost_flow.SimpleMinCostFlow()
    ids = solver.add_arcs_with_capacity_and_unit_cost(net.tail, net.head, net.cap, net.cost)
    solver.set_node_supply(0, total)
    solver.set_node_supply(1, -total)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise RuntimeError(f"min cost flow ended with status {status}")
    net.flow = np.asarray(solver.flows(ids), dtype=np.int64)
    return net, arcs


def _flow(inst: Instance, e: Edges, need: np.ndarray | None = None, keep: np.ndarray | None = None) -> list[int]:
    """Indexes of the edges the optimal flow uses."""
    net, arcs = _flow_network(inst, e, need, keep)
    return np.flatnonzero(net.flow[arcs] > 0).tolist()


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
        unit_quota=c.unit_quota[ci] if len(c.unit_quota) else c.unit_quota,
        profile=c.profile[ci] if len(c.profile) else c.profile,
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
        staffed=sorted(int(vi[v]) for vi, _, p in parts for v in p.staffed),
    )


def _filled(inst: Instance, e: Edges, chosen: list[int]) -> np.ndarray:
    """(V, 2) posts filled per village by the chosen edges."""
    filled = np.zeros_like(posts(inst))
    np.add.at(filled, (e.village[chosen], e.role[chosen]), 1)
    return filled


def _kin_villages(inst: Instance, e: Edges, chosen: list[int]) -> set[int]:
    """Villages whose chosen team holds two relatives."""
    team: dict[int, set[int]] = defaultdict(set)
    for k in chosen:
        team[int(e.village[k])].add(int(e.cadre[k]))
    return {v for v, people in team.items() if any(a < b and (a, b) in inst.kin_pairs for a in people for b in people)}


def whole(inst: Instance, e: Edges, chosen: list[int]) -> list[int]:
    """The chosen edges of complete teams without relatives together: an incomplete team or
    one with two relatives is not a team, so its village is left out whole."""
    filled = _filled(inst, e, chosen)
    complete = (filled == posts(inst)).all(axis=1)
    bad = _kin_villages(inst, e, chosen)
    return [k for k in chosen if complete[e.village[k]] and int(e.village[k]) not in bad]


def _settled(inst: Instance, e: Edges, chosen: list[int]) -> bool:
    """Whether a flow's answer keeps every team rule as it is (then it is the optimum)."""
    filled = _filled(inst, e, chosen)
    partial = (filled.sum(axis=1) > 0) & (filled != posts(inst)).any(axis=1)
    return not partial.any() and not _kin_villages(inst, e, chosen)


def _repair(inst: Instance, e: Edges, need: np.ndarray, max_repairs: int) -> list[int]:
    """The fallback: solve the flow, and while a team breaks a rule either take the weaker of
    two relatives' arcs away or give up the incomplete village with the fewest posts filled,
    then solve again; what is still broken when the repairs run out is left out whole."""
    need, keep = need.copy(), np.ones(len(e.cadre), dtype=np.int64)
    chosen: list[int] = []
    for _ in range(max_repairs):
        chosen = _flow(inst, e, need, keep)
        weak = _kin_clash(inst, e, chosen)
        if weak is not None:
            keep[weak] = 0
            continue
        filled = _filled(inst, e, chosen).sum(axis=1)
        short = np.flatnonzero((filled > 0) & (filled < need.sum(axis=1)))
        if not len(short):
            return chosen
        need[short[np.argmin(filled[short])]] = 0
    return whole(inst, e, chosen)


def _gain(e: Edges, chosen: list[int]) -> int:
    return int(np.rint(e.value[chosen] * SCALE).sum())


def _capacities(inst: Instance) -> dict[int, int]:
    """Each unit's capacity (its own quota, else the setting; as many as it has when neither)."""
    units = np.unique(inst.cadres.unit)
    return dict(zip(units.tolist(), unit_capacity(inst.cadres, units, inst.rules.unit_quota).tolist(), strict=True))


def _by_cpsat(inst: Instance, e: Edges, net: Network, arcs: slice, hint: list[int]) -> Teams | None:
    """CP-SAT over the arcs that could still beat the hint (see ``cpsat``), in the caller's
    edge numbering; its bound holds for the whole problem."""
    slack = -int(net.cost[arcs] @ net.flow[arcs]) - _gain(e, hint)
    rc = reduced_costs(net, arcs)
    kept = np.flatnonzero((net.flow[arcs] > 0) | (rc <= slack))
    kept = np.union1d(kept, np.asarray(hint, dtype=np.int64))
    found = best_teams(
        village=e.village[kept],
        cadre=e.cadre[kept],
        role=e.role[kept],
        gain=np.rint(e.value[kept] * SCALE).astype(np.int64),
        unit=inst.cadres.unit,
        quota=_capacities(inst),
        need=posts(inst),
        kin_pairs=inst.kin_pairs,
        hint=np.searchsorted(kept, hint).tolist(),
        seconds=inst.rules.solver_seconds,
    )
    if found is not None:
        found.chosen = kept[found.chosen].tolist()
    return found


def _solve_one(inst: Instance, max_repairs: int = 200) -> Proposal:
    """Whole teams over the whole instance: the flow when its answer keeps every team rule
    (it is then optimal: it solves a relaxation); otherwise CP-SAT started from the best of
    the repaired flow, the flow on the greedy's villages and the greedy itself."""
    e = edges(inst)
    net, arcs = _flow_network(inst, e)
    chosen = np.flatnonzero(net.flow[arcs] > 0).tolist()
    relaxed = float(e.value[chosen].sum())
    bound = relaxed
    base = whole(inst, e, greedy(inst, e))
    base_value, base_unfilled = _summary(inst, e, base)
    method = "flow"
    if not _settled(inst, e, chosen):
        candidates = [_repair(inst, e, posts(inst), max_repairs), base]
        staffed = np.zeros(len(inst.villages.code), dtype=bool)
        staffed[e.village[base]] = True
        if staffed.any() and not staffed.all():  # all of them: the repair above already did
            candidates.append(_repair(inst, e, posts(inst) * staffed[:, None], max_repairs))
        chosen = max(candidates, key=lambda c: _gain(e, c))
        method = "repair"
        found = _by_cpsat(inst, e, net, arcs, chosen)
        if found is not None:
            bound = min(relaxed, found.bound / SCALE)
            if _gain(e, found.chosen) >= _gain(e, chosen):
                chosen, method = found.chosen, "cp-sat"
    if _summary(inst, e, chosen)[0] < base_value:
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
        staffed=sorted({int(e.village[k]) for k in chosen}),
    )
