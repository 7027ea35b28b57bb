"""Time ID number validation and protection over a million numbers, against plain loops.

    .venv/bin/python bench/idnumbers_bench.py [--n 1000000] [--json]

Prints the vectorised check_many against a Python loop over check(), and the keyring's
bulk encrypt_many / hash_many against one call per value, all measured in the same run.
Not a test: machines differ, the ratios are what to compare.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable

import numpy as np

from zhucun.core.crypto import Keyring
from zhucun.core.idnumbers import CHECK_CHARS, WEIGHTS, check, check_many

REGIONS = ["110105", "130102", "410102", "429001", "510202", "522101", "650102", "830000"]


def sample(n: int, seed: int = 11643) -> list[str]:
    """Mostly valid 18-character numbers; 5 % with one digit changed, 1 % in 15 digits."""
    rng = np.random.default_rng(seed)
    regions = np.array(REGIONS)[rng.integers(0, len(REGIONS), n)]
    born = np.datetime64("1930-01-01") + rng.integers(0, 90 * 365, n).astype("timedelta64[D]")
    births = np.char.replace(np.datetime_as_string(born, unit="D"), "-", "")
    seqs = np.char.zfill(rng.integers(0, 1000, n).astype(str), 3)
    bodies = np.char.add(np.char.add(regions, births), seqs)
    digits = np.frombuffer(bodies.astype("S17").tobytes(), dtype=np.uint8).reshape(n, 17) - 48
    checks = np.array(list(CHECK_CHARS))[(digits.astype(np.int64) @ np.array(WEIGHTS)) % 11]
    numbers = np.char.add(bodies, checks).tolist()
    for i in rng.choice(n, n // 20, replace=False).tolist():
        at = int(rng.integers(0, 17))
        numbers[i] = numbers[i][:at] + str((int(numbers[i][at]) + 1) % 10) + numbers[i][at + 1 :]
    for i in rng.choice(n, n // 100, replace=False).tolist():
        numbers[i] = numbers[i][:6] + numbers[i][8:17]
    return numbers


def timed(label: str, work: Callable[[], object], repeat: int) -> float:
    best = min(_once(work) for _ in range(repeat))
    print(f"  {label:<44} {best:7.3f} s")
    return best


def _once(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def bench_validation(numbers: list[str], repeat: int) -> dict[str, float]:
    print(f"Validation of {len(numbers):,} numbers")
    bulk = timed("check_many (numpy)", lambda: check_many(numbers), repeat)
    loop = timed("Python loop over check()", lambda: [check(v) for v in numbers], 1)
    print(f"  {'ratio loop / vectorised':<44} {loop / bulk:7.1f} x")
    return {"check_many_s": bulk, "check_loop_s": loop, "check_ratio": loop / bulk}


def bench_crypto(numbers: list[str], repeat: int) -> dict[str, float]:
    print(f"Protection of {len(numbers):,} numbers")
    with tempfile.TemporaryDirectory() as key_dir:
        keyring = Keyring.load_or_create(key_dir)
        enc = timed("encrypt_many (one AESGCM object)", lambda: keyring.encrypt_many(numbers), repeat)
        mac = timed("hash_many (one HMAC, copied)", lambda: keyring.hash_many(numbers), repeat)
        enc_loop = timed("loop over encrypt()", lambda: [keyring.encrypt(v) for v in numbers], 1)
        mac_loop = timed("loop over lookup_hash()", lambda: [keyring.lookup_hash(v) for v in numbers], 1)
    print(f"  {'encrypt_many + hash_many':<44} {enc + mac:7.3f} s")
    print(f"  {'ratio loops / bulk':<44} {(enc_loop + mac_loop) / (enc + mac):7.1f} x")
    return {"encrypt_many_s": enc, "hash_many_s": mac, "encrypt_loop_s": enc_loop, "hash_loop_s": mac_loop}


def run(env) -> dict:
    """The harness entry (bench/run.py): a million numbers, or 50,000 when quick."""
    n = 50_000 if env.quick else 1_000_000
    numbers = sample(n)
    normalized, codes = check_many(numbers)
    results = {"n": n} | bench_validation(numbers, 1 if env.quick else 3)
    results |= bench_crypto([v for v, c in zip(normalized, codes) if c is None], 1 if env.quick else 3)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="best of this many bulk runs")
    parser.add_argument("--json", action="store_true", help="also print the results as JSON")
    args = parser.parse_args()
    numbers = sample(args.n)
    normalized, codes = check_many(numbers)
    print(f"{codes.count(None):,} of {args.n:,} valid\n")
    results = bench_validation(numbers, args.repeat)
    print()
    results |= bench_crypto([v for v, c in zip(normalized, codes) if c is None], args.repeat)
    if args.json:
        print(json.dumps({"idnumbers": results, "n": args.n}, indent=2))


if __name__ == "__main__":
    main()
