"""Generation is deterministic and streams county by county: the same seed and sizes give
the same rows, and memory stays that of one county however many there are."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from sqlalchemy import inspect

from tests.demo.conftest import SIZES, Generated
from zhucun.demo import geography
from zhucun.divisions.rules import structure_problem

TABLES = (
    "divisions",
    "village_groups",
    "units",
    "unit_pairings",
    "households",
    "members",
    "household_incomes",
    "household_benefits",
    "village_officials",
    "kin_relations",
    "cadres",
    "cadre_postings",
)
# Ciphertexts carry random nonces, and the time stamps say when the rows were written.
SKIPPED = ("created_at", "updated_at")


def digests(generated: Generated) -> dict[str, str]:
    inspector = inspect(generated.db.engine)
    result = {}
    for table in TABLES:
        columns = [
            c["name"]
            for c in inspector.get_columns(table)
            if c["name"] not in SKIPPED and not c["name"].endswith("_cipher")
        ]
        keys = inspector.get_pk_constraint(table)["constrained_columns"]
        rows = generated.rows(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {', '.join(keys)}")
        result[table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return result


def test_the_same_seed_gives_the_same_rows(county: Generated, generate_into: Callable[..., Generated]) -> None:
    again = generate_into("demo_again", **SIZES)
    first = digests(county)
    assert digests(again) == first
    assert again.truth == county.truth
    other = generate_into("demo_other", **{**SIZES, "seed": SIZES["seed"] + 1})
    changed = digests(other)
    assert changed["households"] != first["households"] and changed["members"] != first["members"]


def test_several_counties_stream_one_after_another(generate_into: Callable[..., Generated]) -> None:
    seen: list[tuple[str, int]] = []
    generated = generate_into(
        "demo_counties",
        seed=5,
        villages=620,
        households=3100,
        progress=lambda spec, counties, rows, _s: seen.append((spec.prefix, rows["households"])),
    )
    assert [c for c, _ in seen] == sorted({c for c, _ in seen}, key=[c for c, _ in seen].index)
    assert len(seen) == generated.generation.counties == 3
    assert [n for _, n in seen] == sorted(n for _, n in seen) and seen[-1][1] == 3100
    counties = generated.rows("SELECT code FROM divisions WHERE level = 'county' ORDER BY code")
    assert [c for (c,) in counties] == sorted(c + "000000" for c, _ in seen)
    codes = [c for (c,) in generated.rows("SELECT code FROM divisions")]
    assert all(structure_problem(code) is None for code in codes)
    by_county = dict(generated.rows("SELECT county_code, count(*) FROM households GROUP BY county_code"))
    assert sorted(by_county) == sorted(c for c, _ in seen) and sum(by_county.values()) == 3100
    # Each county has its own units, paired with it.
    ((pairings,),) = generated.rows("SELECT count(DISTINCT division_code) FROM unit_pairings")
    assert pairings == 3


def test_memory_stays_that_of_one_county(
    county: Generated, generate_into: Callable[..., Generated], monkeypatch
) -> None:
    # ``county`` first, so that neither measurement pays for first imports and caches.
    whole = generate_into("demo_whole", seed=2, villages=12, households=2400, measure_memory=True)
    monkeypatch.setattr(geography, "MAX_HOUSEHOLDS_PER_COUNTY", 800)
    split = generate_into("demo_split", seed=2, villages=12, households=2400, measure_memory=True)
    assert whole.generation.counties == 1 and split.generation.counties == 3
    assert split.generation.households == whole.generation.households == 2400
    assert split.peak_memory < 0.6 * whole.peak_memory, (split.peak_memory, whole.peak_memory)
