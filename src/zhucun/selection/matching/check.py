"""Every hard rule of a set of assignments, named: used on the solver's output by the tests
and on the organisation department's manual edits, so that one definition refuses both."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import numpy as np

from .rules import Fault, pair_faults
from .settings import SelectionRules
from .solver import FS, Instance


def assignment_faults(inst: Instance, vi: int, ci: int, role: str) -> list[Fault]:
    """The rules a single (village, cadre, role) breaks on its own."""
    c, r = inst.cadres, inst.rules
    faults: list[Fault] = []
    ok = c.fs_ok[ci] if role == FS else c.member_ok[ci]
    if not ok:
        faults.append(("not_eligible", {"role": role}))
    broken = pair_faults(inst.villages, c, np.array([vi]), np.array([ci]), r)
    for code, matrix in broken.items():
        if matrix[0, 0]:
            faults.append((code, _params(code, r)))
    return faults


def _params(code: str, rules: SelectionRules) -> dict[str, Any]:
    params: dict[str, dict[str, Any]] = {
        "hometown": {"level": rules.hometown_level},
        "distance": {"n": rules.max_distance_km},
        "unit_pairing": {"mode": rules.pairing},
    }
    return params.get(code, {})


def _team_faults(inst: Instance, assignments: list[tuple[int, int, str]], fs: Counter[int]) -> list[Fault]:
    """A village with anyone in it has a whole team: one first secretary, its team size."""
    people = Counter(vi for vi, _, _ in assignments)
    size = inst.villages.team_size
    found: list[Fault] = [("no_first_secretary", {"village": vi}) for vi in sorted(people) if not fs[vi]]
    found += [
        ("team_incomplete", {"village": vi, "n": int(size[vi])}) for vi in sorted(people) if people[vi] < size[vi]
    ]
    return found


def violations(inst: Instance, assignments: list[tuple[int, int, str]]) -> list[Fault]:
    """Every hard rule the whole set breaks (empty when it keeps them all)."""
    found: list[Fault] = []
    for vi, ci, role in assignments:
        found += [(code, {**p, "village": vi, "cadre": ci}) for code, p in assignment_faults(inst, vi, ci, role)]
    per_cadre = Counter(ci for _, ci, _ in assignments)
    found += [("already_assigned", {"cadre": ci}) for ci, n in per_cadre.items() if n > 1]
    fs = Counter(vi for vi, _, role in assignments if role == FS)
    found += [("post_taken", {"village": vi, "role": FS}) for vi, n in fs.items() if n > 1]
    members = Counter(vi for vi, _, role in assignments if role != FS)
    size = inst.villages.team_size
    found += [("post_taken", {"village": vi, "role": "member"}) for vi, n in members.items() if n > size[vi] - 1]
    found += _team_faults(inst, assignments, fs)
    if inst.rules.unit_quota:
        units = Counter(int(inst.cadres.unit[ci]) for _, ci, _ in assignments)
        found += [("unit_quota", {"unit": u}) for u, n in units.items() if n > inst.rules.unit_quota]
    team: dict[int, list[int]] = defaultdict(list)
    for vi, ci, _ in assignments:
        team[vi].append(ci)
    for vi, people in team.items():
        for a in people:
            for b in people:
                if a < b and (a, b) in inst.kin_pairs:
                    found.append(("kin_in_team", {"village": vi, "cadre": b, "relative": a}))
    return found
