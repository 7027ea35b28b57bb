"""The favouritism report (优亲厚友) over the national synthetic register on PostgreSQL, as
one set-based report, against a per-village Python loop measured in the same run.

    python -m bench.run --only favouritism [--quick]

Goal: the whole register ranked in at most 10 s. The baseline walks villages one by one
(the officials of the window, their relatives' households through the kinship module, the
village's households and benefits — a few queries per village, as a naive report would);
over tens of thousands of villages it would run for hours, so it is timed over a sample of
villages and given per village and extrapolated to the register. The dataset is
``bench.datasets.national`` (built by the generator benchmark, or here on first use).
"""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy import func, select

from bench import datasets
from zhucun.core.db import Database
from zhucun.core.scope import Area, Scope, bind
from zhucun.divisions.models import Division
from zhucun.identification import favouritism
from zhucun.registry.kinship.queries import relative_households_of
from zhucun.registry.models import Household, HouseholdBenefit
from zhucun.registry.officials.models import VillageOfficial

DEGREE = 2
SAMPLE = 20
GOAL_SECONDS = 10.0


def run(env) -> dict:
    if not env.pg_url:
        return {"skipped": "no PostgreSQL server"}
    members = 300_000 if env.quick else 10_000_000
    url = datasets.national(env.pg_url, members=members)
    since = favouritism.since_default(date.today())
    db = Database(url)
    try:
        with db.begin(write=False) as session:
            bind(session, Scope.everywhere())
            villages = session.scalar(select(func.count()).where(Division.level == "village")) or 0
            households = session.scalar(select(func.count()).select_from(Household)) or 0
            started = time.perf_counter()
            ranking = favouritism.report(session, Area.of(None), DEGREE, since)
            report_seconds = time.perf_counter() - started
            sample = [v.village_code for v in ranking[:: max(1, len(ranking) // SAMPLE)]][:SAMPLE]
            started = time.perf_counter()
            looped = {code: _one_village(session, code, since) for code in sample}
            per_village = (time.perf_counter() - started) / max(1, len(sample))
    finally:
        db.dispose()
    by_code = {v.village_code: v for v in ranking}
    agree = all((by_code[c].relatives_households, by_code[c].assisted_relatives) == looped[c][:2] for c in sample)
    loop_estimate = per_village * villages
    print(
        f"{households:,} households, {villages:,} villages: report {report_seconds:.2f} s "
        f"(goal ≤ {GOAL_SECONDS:.0f} s); per-village loop {per_village * 1000:.1f} ms a village, "
        f"≈ {loop_estimate:,.0f} s for the register ({loop_estimate / max(report_seconds, 1e-9):,.0f}×); "
        f"the loop agrees on the sample: {agree}"
    )
    return {
        "households": households,
        "villages": villages,
        "report_seconds": round(report_seconds, 3),
        "goal_met": report_seconds <= GOAL_SECONDS,
        "loop_ms_per_village": round(per_village * 1000, 2),
        "loop_seconds_estimated": round(loop_estimate, 1),
        "ratio": round(loop_estimate / max(report_seconds, 1e-9), 1),
        "sample": len(sample),
        "loop_agrees": agree,
    }


def _one_village(session, code: str, since: date) -> tuple[int, int, float]:
    """The baseline: one village's relatives' households, assisted ones and their benefits."""
    county = code[:6]
    officials = session.scalars(
        select(VillageOfficial.member_id).where(
            VillageOfficial.county_code == county,
            VillageOfficial.village_code == code,
            favouritism.officials_serving_since(since),
        )
    ).all()
    found = relative_households_of(session, officials, DEGREE, county=county) if officials else {}
    homes = {h for kin in found.values() for h in kin}
    rows = session.execute(
        select(Household.id, Household.status, Household.attribute).where(
            Household.county_code == county, Household.village_code == code
        )
    ).all()
    related = [r for r in rows if r.id in homes]
    assisted = [
        r
        for r in related
        if r.status in favouritism.ASSISTED_STATUSES or r.attribute in favouritism.ASSISTED_ATTRIBUTES
    ]
    amount = 0.0
    for r in related:
        amount += float(
            session.scalar(
                select(func.coalesce(func.sum(HouseholdBenefit.amount), 0)).where(
                    HouseholdBenefit.county_code == county, HouseholdBenefit.household_id == r.id
                )
            )
            or 0
        )
    return len(related), len(assisted), amount
