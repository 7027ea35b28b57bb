"""make bench: run every benchmark in bench/ and write bench/results.json.

Each ``bench/<name>_bench.py`` exposes ``run(env: Env) -> dict``: it measures its
subject *and a baseline in the same run* (raw COPY, a plain openpyxl loop, a Python
loop…), prints the ratios, and returns the numbers to record. A benchmark is not a test:
machines differ, so the ratios are what to compare.

    python -m bench.run [--only NAME ...] [--quick]

With ``--only`` the named entries replace theirs in results.json and the others are kept.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Env:
    """What a benchmark may use: a PostgreSQL server (None if absent), a scratch directory,
    and whether to run a small quick version (for a smoke check)."""

    pg_url: str | None
    workdir: Path
    quick: bool


def discover() -> list[str]:
    return sorted(p.stem[: -len("_bench")] for p in HERE.glob("*_bench.py"))


def _merged(path: Path, results: dict[str, object]) -> dict[str, object]:
    """This run's entries over those already in the file (``--only`` runs a few)."""
    try:
        previous = json.loads(path.read_text())
    except (OSError, ValueError):
        return results
    kept = previous.get("benchmarks", {}) if isinstance(previous, dict) else {}
    return {**results, "benchmarks": {**kept, **results["benchmarks"]}}  # type: ignore[dict-item]


def main() -> int:
    parser = argparse.ArgumentParser(description="zhucun benchmarks")
    parser.add_argument("--only", nargs="*", help="names of benchmarks to run")
    parser.add_argument("--quick", action="store_true", help="small sizes, to check the benchmarks run")
    args = parser.parse_args()
    names = args.only or discover()
    results: dict[str, object] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "python": sys.version.split()[0],
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "quick": args.quick,
        "benchmarks": {},
    }
    failed = []
    with tempfile.TemporaryDirectory(prefix="zhucun-bench-") as workdir:
        env = Env(os.environ.get("ZHUCUN_BENCH_DATABASE_URL"), Path(workdir), args.quick)
        for name in names:
            print(f"\n=== {name} ===", flush=True)
            started = time.perf_counter()
            try:
                module = importlib.import_module(f"bench.{name}_bench")
                outcome = module.run(env)
            except Exception:  # a broken benchmark must not hide the others' results
                traceback.print_exc()
                failed.append(name)
                outcome = {"error": traceback.format_exc(limit=3)}
            outcome["seconds"] = round(time.perf_counter() - started, 2)
            # Each entry says when and how it ran: a partial run keeps the others' entries.
            outcome["started"], outcome["quick"] = results["started"], args.quick
            results["benchmarks"][name] = outcome  # type: ignore[index]
    path = HERE / "results.json"
    if args.only:
        results = _merged(path, results)
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False, default=str))
    print(f"\nwrote {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
