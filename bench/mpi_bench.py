"""Multidimensional poverty of the register over 1,000,000 households, per village, on SQLite
and on PostgreSQL, against a per-household Python loop over the same rows in the same run.

    python -m bench.run --only mpi [--quick]

Measured: the whole computation as the page and the CLI run it for an area (two plain
scans — households with the year's income, members — folded per household in numpy, then
the vectorised Alkire–Foster tally by village: ``identification.quality``), and, as the baseline, a plain
loop that takes the same achievements household by household, scores each against the
cut-offs and adds it to its village. Goal: ≤ 10 s for 1,000,000 households on each
backend. The PostgreSQL register is ``bench.datasets.dataset`` (kept for reuse); the
SQLite one is generated into the scratch directory.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections import defaultdict
from fractions import Fraction

from bench import datasets
from zhucun.core.crypto import Keyring
from zhucun.core.db import Database
from zhucun.core.migrate import upgrade
from zhucun.core.protect import Protector
from zhucun.core.scope import Area, Scope, bind
from zhucun.demo.generator import generate
from zhucun.identification.quality import mpi as register_mpi
from zhucun.identification.quality import register

GOAL_SECONDS = 10.0


def run(env) -> dict:
    households = 20_000 if env.quick else 1_000_000
    results: dict = {"households": households, "goal_seconds": GOAL_SECONDS}
    sqlite_url = f"sqlite:///{env.workdir / 'mpi.db'}"
    upgrade(sqlite_url)
    keys = Protector(Keyring.load_or_create(tempfile.mkdtemp(dir=env.workdir)))
    db = Database(sqlite_url)
    try:
        with db.begin() as session:
            bind(session, Scope.everywhere())
            generate(session, protector=keys, seed=3, villages=max(1, households // 250), households=households)
        results["sqlite"] = measure(db)
    finally:
        db.dispose()
    if env.pg_url:
        members = round(households * datasets.MEMBERS_PER_HOUSEHOLD)
        pg = Database(datasets.dataset(env.pg_url, members, seed=3).url)
        try:
            results["postgresql"] = measure(pg)
        finally:
            pg.dispose()
    else:
        results["postgresql"] = {"skipped": "no PostgreSQL server"}
    return results


def measure(db: Database) -> dict:
    with db.begin(write=False) as session:
        bind(session, Scope.everywhere())
        area = Area.of(None)
        year = register.latest_income_year(session, area) or 0
        spec = register_mpi.default_spec(year)
        started = time.perf_counter()
        cpu = time.process_time()
        found = register.read(session, area, year)
        read = time.perf_counter() - started
        # On a shared machine the wall clock measures the others too; on SQLite (in this
        # process) the CPU time is what an idle machine's wall clock would show.
        read_cpu = time.process_time() - cpu
        codes, tally = register_mpi.measure(found, spec, 12)
        total = tally.result(spec)
        whole = time.perf_counter() - started
    vectorised = whole - read
    started = time.perf_counter()
    loop = python_loop(found, spec)
    looped = time.perf_counter() - started
    assert loop["q"] == int(tally.q.sum()) and loop["villages"] == len(codes), "the loop disagrees"
    line = {
        "households": len(found),
        "villages": len(codes),
        "seconds": round(whole, 3),
        "read_seconds": round(read, 3),
        "read_cpu_seconds": round(read_cpu, 3),
        "load_average": round(os.getloadavg()[0], 1),
        "tally_seconds": round(vectorised, 3),
        "loop_seconds": round(looped, 3),
        "loop_over_tally": round(looped / vectorised, 1) if vectorised else None,
        "H": float(total.H),
        "M0": float(total.M0),
        "within_goal": whole <= GOAL_SECONDS,
    }
    print(
        f"  {db.engine.dialect.name}: {line['households']:,} households in {line['villages']:,} villages:"
        f" {whole:.2f} s (read {read:.2f} s, {read_cpu:.2f} s of this process's CPU; tally {vectorised:.3f} s);"
        f" per-household loop {looped:.2f} s"
        f" ({line['loop_over_tally']}× the tally); goal ≤ {GOAL_SECONDS:.0f} s:"
        f" {'met' if line['within_goal'] else 'MISSED'}",
        flush=True,
    )
    return line


def python_loop(found: register.Achievements, spec) -> dict:
    """The baseline: one household at a time, exact weights, sums per village in dicts."""
    columns = list(spec.cutoffs)
    values = [found.columns[c].tolist() for c in columns]
    cutoffs = [spec.cutoffs[c] for c in columns]
    weights = [spec.weights[c] for c in columns]
    k = spec.k
    n, q, scores = defaultdict(int), defaultdict(int), defaultdict(Fraction)
    for i, village in enumerate(found.villages.tolist()):
        score = Fraction(0)
        for j in range(len(columns)):
            if values[j][i] < cutoffs[j]:  # NaN (unknown) is never below
                score += weights[j]
        n[village] += 1
        if score >= k:
            q[village] += 1
            scores[village] += score
    return {"q": sum(q.values()), "villages": len(n)}
