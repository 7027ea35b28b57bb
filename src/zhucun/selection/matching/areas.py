"""The matching of an area, county by county. Cadres serve in their own county and a unit's
quota is counted within a county (its quota rows are county-keyed), so nothing links two
counties: each county is loaded and solved alone, and keeps its own objective, bound and gap —
never the area's. The counties' results are then laid side by side as one instance and one
proposal, so that the API, the CLI and the audit read an area as they read a county."""

from __future__ import annotations

from dataclasses import fields
from itertools import chain
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhucun.core.codes import pad, prefix_of
from zhucun.core.scope import Area

from . import loader
from .models import MarkedVillage
from .rules import Cadres, Villages
from .solver import Instance, Proposal, solve

Part = tuple[loader.Loaded, Proposal]


def counties(session: Session, area: str, term: int) -> list[str]:
    """The counties (6 digits) of the area with a village marked for the term."""
    within = Area.of(pad(prefix_of(area))).within(MarkedVillage.village_code)
    rows = session.scalars(
        select(MarkedVillage.county_code)
        .where(MarkedVillage.term == term, within)
        .group_by(MarkedVillage.county_code)
        .order_by(MarkedVillage.county_code)
    )
    return list(rows)


def empty(rules: Any) -> Part:
    """Nothing marked: an instance without villages or cadres and a proposal of zeros."""
    ints, reals, flags = np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0, dtype=bool)
    text, grid = np.zeros(0, dtype="<U12"), np.zeros((0, 0), dtype=bool)
    villages = Villages(text, grid, reals, reals, ints)
    cadres = Cadres(ints, text, ints, grid, text, reals, reals, text, flags, flags)
    return loader.Loaded(Instance(villages, cadres, rules), {}, []), Proposal([], 0.0, 0.0, 0.0, 0, [])


def parts(session: Session, area: str, term: int) -> list[tuple[str, loader.Loaded, Proposal]]:
    """(county, its instance, its proposal) for each county of the area with a marked village;
    the county's own villages only, when the area is a township or a village."""
    found = []
    for county in counties(session, area, term):
        where = area if area.startswith(county) else pad(county)
        loaded = loader.load(session, where, term)
        found.append((county, loaded, solve(loaded.instance)))
    return found


def _stack(items: list[Any], cls: type) -> Any:
    """Dataclass rows laid end to end: arrays concatenated, lists joined."""
    values = {}
    for f in fields(cls):
        pieces = [getattr(x, f.name) for x in items]
        arrays = isinstance(pieces[0], np.ndarray)
        values[f.name] = np.concatenate(pieces) if arrays else list(chain.from_iterable(pieces))
    return cls(**values)


def joined(found: list[tuple[str, loader.Loaded, Proposal]], rules: Any) -> Part:
    """The counties' instances and proposals as one, renumbered in order."""
    if not found:
        return empty(rules)
    if len(found) == 1:
        return found[0][1], found[0][2]
    loads = [loaded for _, loaded, _ in found]
    v0 = np.cumsum([0] + [len(x.instance.villages.code) for x in loads])
    c0 = np.cumsum([0] + [len(x.instance.cadres.id) for x in loads])
    inst = Instance(
        villages=_stack([x.instance.villages for x in loads], Villages),
        cadres=_stack([x.instance.cadres for x in loads], Cadres),
        rules=loads[0].instance.rules,
        kin_pairs={(a + int(c0[k]), b + int(c0[k])) for k, x in enumerate(loads) for a, b in x.instance.kin_pairs},
    )
    names = {cid: name for x in loads for cid, name in x.names.items()}
    faults = [f for x in loads for f in x.faults]
    props = [p for _, _, p in found]
    proposal = Proposal(
        assignments=[
            (v + int(v0[k]), c + int(c0[k]), role, value)
            for k, p in enumerate(props)
            for v, c, role, value in p.assignments
        ],
        objective=sum(p.objective for p in props),
        bound=sum(p.bound for p in props),
        greedy_objective=sum(p.greedy_objective for p in props),
        greedy_unfilled=sum(p.greedy_unfilled for p in props),
        unfilled=[(v + int(v0[k]), m) for k, p in enumerate(props) for v, m in p.unfilled],
        method=props[0].method if len({p.method for p in props}) == 1 else "mixed",
    )
    return loader.Loaded(inst, names, faults), proposal
