"""Planted favouritism: in a few villages relief goes to the officials' relatives.

The pattern the work teams are there to stop (domain.md): the relatives of village heads
registered as poor or monitored although they earn well, and taking a large share of the
relief. The generator plants it in about one village in fifty so that a later check has
something true to find; where it was planted is written only to the truth file that the
tests read, never to the database.

The planted signal is crisp by construction: elsewhere, households with a monitored or
returned status or an allowance always earn less than ``favour_income_threshold`` × the
monitoring line, so "assisted despite that income" marks exactly the favoured households.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .officials import Officials
from .params import Parameters
from .poverty import REGISTERED

ASSISTED_STATUSES = ("13", "21", "22", "23")


@dataclass
class Planted:
    """One planted village, as the truth file records it."""

    village: int
    officials: list[int]  # member indices
    official_households: list[int]
    relatives_households: list[int]
    favoured_households: list[int]
    evidence: dict[str, float] = field(default_factory=dict)


def planted_count(villages: int, p: Parameters, *, first_county: bool, total_villages: int) -> int:
    """How many villages of a county to plant: one in ``favouritism_every``, and at least
    one in the first county of a generation of ``favouritism_min_villages`` or more."""
    count = round(villages / p.favouritism_every)
    if first_county and total_villages >= p.favouritism_min_villages:
        count = max(count, 1)
    return min(count, villages)


def relatives(officials: Officials, household_of: np.ndarray) -> dict[int, tuple[set[int], set[int]]]:
    """Per village: (the officials' own households, their relatives' other households)."""
    village_of = dict(zip(officials.member, officials.village))
    result: dict[int, tuple[set[int], set[int]]] = {}
    for member, village in village_of.items():
        result.setdefault(village, (set(), set()))[0].add(int(household_of[member]))
    for a, b in zip(officials.kin_a, officials.kin_b):
        official, relative = (a, b) if a in village_of else (b, a)
        if official in village_of:
            result[village_of[official]][1].add(int(household_of[relative]))
    for own, kin in result.values():
        kin -= own
    return result


def plant(
    rng: np.random.Generator,
    p: Parameters,
    count: int,
    officials: Officials,
    household_of: np.ndarray,
    community: np.ndarray,
    households: np.ndarray,
) -> list[Planted]:
    """Choose ``count`` villages with officials and at least three relatives' households,
    and the favoured households among the relatives (a share of them, at least three).

    Villages where the relatives are many of the households come last (and only when
    there is no other): there a fair share and a favoured one would look too much alike."""
    kin = relatives(officials, household_of)
    share = {
        v: len(others) / households[v] for v, (_own, others) in kin.items() if len(others) >= 3 and not community[v]
    }
    fit = sorted(v for v, s in share.items() if s <= p.favoured_village_share)
    rest = sorted((v for v, s in share.items() if s > p.favoured_village_share), key=lambda v: (share[v], v))
    chosen = rng.permutation(fit).tolist()[:count] if fit else []
    chosen = sorted(chosen + rest[: count - len(chosen)])
    planted = []
    for v in chosen:
        own, others = kin[v]
        ordered = sorted(others)
        size = min(len(ordered), max(3, round(p.favoured_share * len(ordered))))
        favoured = sorted(rng.choice(ordered, size=size, replace=False).tolist())
        members = sorted({m for m, village in zip(officials.member, officials.village) if village == v})
        planted.append(Planted(v, members, sorted(own), ordered, favoured))
    return planted


def favour(
    rng: np.random.Generator,
    p: Parameters,
    households: np.ndarray,
    status: np.ndarray,
    attribute: np.ndarray,
    main_cause: np.ndarray,
    registered_year: np.ndarray,
    ratio: np.ndarray,
) -> None:
    """Register the given households as monitored (or returned to poverty), often with an
    allowance, and give them a good income: changes the arrays in place."""
    n = len(households)
    was_poor = np.isin(status[households], REGISTERED)
    status[households] = np.where(
        was_poor, np.where(rng.random(n) < 0.8, "21", "13"), np.where(rng.random(n) < 0.75, "22", "23")
    )
    attribute[households] = np.where(rng.random(n) < 0.5, "2", attribute[households])
    attribute[households] = np.where(attribute[households] == "3", "2", attribute[households])
    main_cause[households] = np.where(
        main_cause[households] == "", rng.choice(["01", "09", "08", "10"], n), main_cause[households]
    )
    registered_year[households] = np.where(
        registered_year[households] == 0, rng.integers(2021, p.as_of.year + 1, n), registered_year[households]
    )
    ratio[households] = rng.uniform(*p.favoured_income, n)


def evidence(
    village_households: np.ndarray,
    relatives_households: list[int],
    benefit_household: np.ndarray,
    benefit_amount: np.ndarray,
) -> dict[str, Any]:
    """How far the relatives' share of the village's relief exceeds their share of its
    households (benefits given as the village's rows)."""
    relatives = np.isin(benefit_household, relatives_households)
    household_share = len(relatives_households) / max(len(village_households), 1)
    count_share = relatives.mean() if len(relatives) else 0.0
    total = benefit_amount.sum()
    amount_share = benefit_amount[relatives].sum() / total if total else 0.0
    return {
        "households": len(village_households),
        "relatives_households": len(relatives_households),
        "household_share": round(float(household_share), 4),
        "benefit_count_share": round(float(count_share), 4),
        "benefit_amount_share": round(float(amount_share), 4),
        "count_ratio": round(float(count_share / household_share), 2) if household_share else None,
        "amount_ratio": round(float(amount_share / household_share), 2) if household_share else None,
    }
