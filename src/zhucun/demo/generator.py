"""The demo generator: a county, a province or the country, streamed into the database
county by county, so that memory stays that of one county whatever the size.

The same seed and sizes give the same rows (ciphertexts aside: their nonces are random,
and the load time stamps ``created_at``). Every county draws from its own random stream,
seeded by (seed, county number), so a county does not change when more are added after it.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import text
from sqlalchemy.orm import Session

from zhucun.core.bulk import begin_load
from zhucun.core.protect import Protector

from ..core.db import utcnow
from . import cadres, favouritism, geography, register
from .county import county_divisions
from .params import DEFAULTS, Parameters
from .writer import TABLES, Writer, deferred_indexes

DEFAULT_HOUSEHOLDS = 50_000
COUNTS = ("households", "members", "incomes", "benefits", "officials", "kin", "cadres", "postings")


@dataclass
class Generation:
    """What a generation wrote, how long it took, and the truth about planted favouritism."""

    seed: int
    counties: int = 0
    divisions: int = 0
    villages: int = 0
    groups: int = 0
    rows: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    # Where the time went: drawing the registers, writing them (with encryption), indexing.
    timings: Counter = field(default_factory=Counter)
    planted: list[dict[str, Any]] = field(default_factory=list)
    key_villages: list[str] = field(default_factory=list)
    demo_unit_ids: list[int] = field(default_factory=list)

    @property
    def households(self) -> int:
        return self.rows["households"]

    @property
    def members(self) -> int:
        return self.rows["members"]

    def rate(self, what: str = "households") -> float:
        return self.rows[what] / self.seconds if self.seconds else 0.0

    def truth(self, params: Parameters = DEFAULTS) -> dict[str, Any]:
        """The truth file's content (README.md, Demo data, describes it)."""
        return {
            "seed": self.seed,
            "villages": self.villages,
            "households": self.households,
            "as_of": params.as_of.isoformat(),
            "years": params.years,
            "monitoring_lines": {str(y): params.line(y) for y in params.years},
            "signal": {
                "assisted_statuses": list(favouritism.ASSISTED_STATUSES),
                "assisted_attributes": ["2", "3"],
                "income_per_head_at_least": params.favour_income_threshold,
                "of_monitoring_line_in": params.years[-1],
            },
            "planted": self.planted,
        }


# Called after each county: (the county, how many counties in all, rows so far, seconds so far).
Progress = Callable[[geography.CountySpec, int, Counter, float], None]


def generate(
    session: Session,
    *,
    protector: Protector,
    seed: int = 1,
    villages: int | None = None,
    households: int = DEFAULT_HOUSEHOLDS,
    params: Parameters = DEFAULTS,
    demo_units: list[dict[str, str]] | None = None,
    progress: Progress | None = None,
) -> Generation:
    """Write the divisions, units and registers of every county of the plan in the
    session's transaction (the caller commits). ``demo_units`` are the units paired with
    the demo county (others get units of their own)."""
    started = time.perf_counter()
    specs = geography.plan(seed, villages, households)
    result = Generation(seed, counties=len(specs))
    writer = Writer(session, protector, utcnow())
    begin_load(session)  # before deferred_indexes reads every table, then drops their keys
    with deferred_indexes(session) if households else nullcontext():
        for spec in specs:
            _county(writer, spec, seed, params, demo_units, result, total=villages)
            if progress:
                progress(spec, len(specs), result.rows, time.perf_counter() - started)
        loaded = time.perf_counter()
    if households and session.get_bind().dialect.name == "postgresql":
        # Fresh statistics, so that the first queries on the new rows plan well.
        for table in TABLES:
            session.execute(text(f'ANALYZE "{table.name}"'))
    result.seconds = time.perf_counter() - started
    result.timings["indexes"] = result.seconds - (loaded - started)
    return result


def _county(
    writer: Writer,
    spec: geography.CountySpec,
    seed: int,
    p: Parameters,
    demo_units: list[dict[str, str]] | None,
    result: Generation,
    total: int | None,
) -> None:
    rows, groups = county_divisions(spec, seed)
    village_rows = [r for r in rows if r["level"] == "village"]
    result.divisions += len(rows)
    result.villages += len(village_rows)
    result.groups += len(groups)
    result.key_villages += [v["code"] for v in village_rows if v["is_key_village"]]
    reg = None
    rng = np.random.default_rng([seed, spec.index])
    started = time.perf_counter()
    if spec.households:
        townships = {r["code"]: r["name"] for r in rows if r["level"] == "township"}
        plant = favouritism.planted_count(
            len(village_rows), p, first_county=spec.index == 0, total_villages=total or len(village_rows)
        )
        reg = register.build(rng, spec, village_rows, Counter(g["village_code"] for g in groups), townships, p, plant)
        _restate(reg, village_rows, groups)
    writer.divisions(rows, groups)
    units = demo_units if spec.index == 0 and demo_units is not None else cadres.units(spec)
    unit_ids = writer.units(units, spec.code)
    if spec.index == 0:
        result.demo_unit_ids = unit_ids
    if reg is None:
        return
    key = np.array([i for i, v in enumerate(village_rows) if v["is_key_village"]], dtype=np.int64)
    teams = cadres.teams(rng, key, unit_ids, [u["level"] for u in units], spec, p.as_of)
    drawn = time.perf_counter()
    counts, ids = writer.county(reg, teams, rng)
    result.timings["draw"] += drawn - started
    result.timings["write"] += time.perf_counter() - drawn
    result.rows.update(counts)
    result.planted += [_truth(reg, spot, ids) for spot in reg.planted]


def _restate(reg: register.Register, villages: list[dict[str, Any]], groups: list[dict[str, Any]]) -> None:
    """Give villages and groups the numbers of households and people generated for them."""
    households = np.bincount(reg.village, minlength=len(villages))
    people = np.bincount(reg.village, weights=reg.comp.size, minlength=len(villages)).astype(int)
    for village, count, persons in zip(villages, households.tolist(), people.tolist()):
        village["households"], village["population"] = count, persons
    index = {v["code"]: i for i, v in enumerate(villages)}
    per_group = Counter(zip(reg.village.tolist(), reg.group.tolist()))
    for group in groups:
        group["households"] = per_group.get((index[group["village_code"]], group["number"]), 0)


def _truth(reg: register.Register, spot: favouritism.Planted, ids: dict[str, np.ndarray]) -> dict[str, Any]:
    village = reg.villages[spot.village]
    household, member = ids["household"], ids["member"]
    return {
        "county_code": reg.spec.prefix,
        "village_code": village["code"],
        "village_name": village["name"],
        "officials": member[spot.officials].tolist(),
        "official_households": household[spot.official_households].tolist(),
        "relatives_households": household[spot.relatives_households].tolist(),
        "favoured_households": household[spot.favoured_households].tolist(),
        "expected": spot.evidence,
    }
