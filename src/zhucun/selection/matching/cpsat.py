"""Whole teams with CP-SAT (OR-Tools), for what a min-cost flow cannot say: a village is
staffed completely (one first secretary, its members) or not at all, and two relatives are
never in one team.

The model is built only over the arcs that may still matter: the flow's dual (node
potentials from the optimal residual network) gives each unused arc a reduced cost, and an
arc whose reduced cost exceeds the gap between the flow's value and the best whole-team
proposal in hand cannot appear in any better proposal (the flow value minus that reduced
cost bounds every solution using it). Dropping those arcs is exact, so CP-SAT's bound over
what is left, together with the proposal in hand, is a bound of the whole problem.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model


@dataclass
class Network:
    """A min-cost flow network and its optimal flow, arc by arc."""

    tail: np.ndarray
    head: np.ndarray
    cap: np.ndarray
    cost: np.ndarray
    flow: np.ndarray
    nodes: int


def potentials(net: Network) -> np.ndarray:
    """Shortest distances in the optimal flow's residual network from a virtual source joined
    to every node (Bellman–Ford, one vectorised pass per round): optimality means no negative
    cycle, so they converge and every residual arc has a non-negative reduced cost."""
    fwd, back = net.flow < net.cap, net.flow > 0
    rt = np.concatenate([net.tail[fwd], net.head[back]])
    rh = np.concatenate([net.head[fwd], net.tail[back]])
    rc = np.concatenate([net.cost[fwd], -net.cost[back]])
    order = np.argsort(rh, kind="stable")
    rt, rh, rc = rt[order], rh[order], rc[order]
    starts = np.flatnonzero(np.r_[True, rh[1:] != rh[:-1]]) if len(rh) else np.array([], dtype=np.int64)
    targets = rh[starts]
    d = np.zeros(net.nodes, dtype=np.int64)
    for _ in range(net.nodes + 1):
        if not len(rh):
            return d
        best = np.minimum.reduceat(d[rt] + rc, starts)
        new = d.copy()
        new[targets] = np.minimum(d[targets], best)
        if np.array_equal(new, d):
            return d
        d = new
    raise RuntimeError("negative cycle in an optimal flow's residual network")


def reduced_costs(net: Network, arcs: slice) -> np.ndarray:
    d = potentials(net)
    tail, head = net.tail[arcs], net.head[arcs]
    out: np.ndarray = net.cost[arcs] + d[tail] - d[head]
    return out


@dataclass
class Teams:
    """Edges (indexes into the caller's arrays) of the best proposal found, CP-SAT's bound
    on the objective (in the integer gains), and whether it is proven optimal."""

    chosen: list[int]
    bound: int
    optimal: bool


def best_teams(
    *,
    village: np.ndarray,
    cadre: np.ndarray,
    role: np.ndarray,
    gain: np.ndarray,
    unit: np.ndarray,
    quota: dict[int, int],
    need: np.ndarray,
    kin_pairs: set[tuple[int, int]],
    hint: list[int],
    seconds: float,
) -> Teams | None:
    """The best whole-team proposal over the given edges (None when CP-SAT found nothing in
    its time). ``unit`` is per cadre; ``need`` is (V, 2): first secretaries, members."""
    model = cp_model.CpModel()
    x = [model.new_bool_var("") for _ in range(len(village))]
    by_cadre: dict[int, list[int]] = defaultdict(list)
    by_post: dict[tuple[int, int], list[int]] = defaultdict(list)
    at: dict[tuple[int, int], list[int]] = defaultdict(list)  # (village, cadre) → edges
    for k, (v, c, r) in enumerate(zip(village.tolist(), cadre.tolist(), role.tolist(), strict=True)):
        by_cadre[c].append(k)
        by_post[v, r].append(k)
        at[v, c].append(k)
    for ks in by_cadre.values():
        model.add_at_most_one(x[k] for k in ks)
    staffed = {}
    for v in sorted({v for v, _ in by_post}):
        y = staffed[v] = model.new_bool_var("")
        model.add(sum(x[k] for k in by_post.get((v, 0), [])) == y * int(need[v, 0]))
        model.add(sum(x[k] for k in by_post.get((v, 1), [])) == y * int(need[v, 1]))
        # Implied by the sums, but stated: the linear relaxation is far tighter with it.
        for k in by_post.get((v, 0), []) + by_post.get((v, 1), []):
            model.add_implication(x[k], y)
    per_unit: dict[int, list[int]] = defaultdict(list)
    for c, ks in by_cadre.items():
        per_unit[int(unit[c])] += ks
    for u, ks in per_unit.items():
        # ``quota``: each unit's capacity (its own quota, else the setting's).
        if len(ks) > quota.get(u, len(ks)):
            model.add(sum(x[k] for k in ks) <= quota[u])
    villages_of: dict[int, set[int]] = defaultdict(set)
    for v, c in at:
        villages_of[c].add(v)
    for a, b in kin_pairs:
        for v in villages_of[a] & villages_of[b]:
            model.add_at_most_one(x[k] for k in at[v, a] + at[v, b])
    model.maximize(sum(int(g) * x[k] for k, g in enumerate(gain.tolist()) if g))
    chosen_hint = set(hint)
    for k, var in enumerate(x):
        model.add_hint(var, k in chosen_hint)
    hinted = {int(village[k]) for k in hint}
    for v, y in staffed.items():
        model.add_hint(y, v in hinted)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    # One worker: the machine is shared, and one search keeps a run repeatable.
    solver.parameters.num_workers = 1
    # The full linear relaxation (with the implications above) proves small shortages
    # optimal in a second where the default level kept a 7 % gap after ten.
    solver.parameters.linearization_level = 2
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    chosen = [k for k, var in enumerate(x) if solver.boolean_value(var)]
    return Teams(chosen, int(np.floor(solver.best_objective_bound + 1e-6)), status == cp_model.OPTIMAL)
