"""Which helper helps which household: a pure, vectorised rule (numpy, no database).

Every household in care gets one helper whose load stays within the cap, a priority household
(monitored, or 特困) weighing 2. Continuity first: a household keeps its current helper while
that helper is within the cap. The rest are placed in widening circles — the same village,
then the same township, then anywhere in the county — so that helpers stay close to their
households. Within a circle, priority households are placed first, in pairs of free places,
so that no one straddles two helpers; slots are dealt round-robin (each helper's first free
place, then each one's second…) so that the load spreads instead of filling one helper.

A village official in the pool never helps their own household: each helper may name the
position of their own household (``helper_home``), and that pair is never chosen.

The result is maximal: a household left without a helper means no helper in the county
(other than its own official) has room for its weight."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zhucun.registry.catalogues import MONITORED_STATUSES

DEFAULT_CAP = 5
PRIORITY_WEIGHT = 2
# Statuses in care: not yet exited, exited and still supported, returned, and the monitored.
IN_CARE_STATUSES = ("11", "12", "13", *MONITORED_STATUSES)
EXTREME_POVERTY = "3"  # household_attribute 特困供养户

NONE = -1


def weights(status: np.ndarray, attribute: np.ndarray) -> np.ndarray:
    """A household's share of a helper's cap: 2 for monitored or 特困, else 1."""
    priority = np.isin(status, MONITORED_STATUSES) | (attribute == EXTREME_POVERTY)
    return np.where(priority, PRIORITY_WEIGHT, 1).astype(np.int64)


@dataclass(frozen=True)
class Instance:
    """Households (village code as an integer, weight, current helper index or -1) and
    helpers (village code as an integer, cap, position of their own household or -1), by
    position."""

    village: np.ndarray
    weight: np.ndarray
    current: np.ndarray
    helper_village: np.ndarray
    cap: np.ndarray
    helper_home: np.ndarray | None = None

    def home(self) -> np.ndarray:
        """Each helper's own household position, -1 for none (cadres)."""
        if self.helper_home is None:
            return np.full(len(self.cap), NONE, dtype=np.int64)
        return self.helper_home

    def own(self, households: np.ndarray, helpers: np.ndarray) -> np.ndarray:
        """Pairwise: is helper ``helpers[i]`` the official of household ``households[i]``?"""
        same: np.ndarray = self.home()[helpers] == households
        return same


def assign(instance: Instance) -> np.ndarray:
    """The helper index of each household, or -1 where no helper has room."""
    result = np.full(len(instance.village), NONE, dtype=np.int64)
    load = np.zeros(len(instance.cap), dtype=np.int64)
    _keep_current(instance, result, load)
    # Circles: village (12 digits), township (first 9), county (everyone together).
    for divisor in (1, 1000, 10**12):
        for weight in (PRIORITY_WEIGHT, 1):
            _place(instance, result, load, divisor, weight)
    return result


def _keep_current(instance: Instance, result: np.ndarray, load: np.ndarray) -> None:
    """Keep each current helper's households, priority first, up to the helper's cap."""
    current = instance.current
    candidates = np.flatnonzero(current >= 0)
    # An official currently helping their own household does not keep it.
    candidates = candidates[~instance.own(candidates, current[candidates])]
    if not len(candidates):
        return
    order = candidates[np.lexsort((-instance.weight[candidates], current[candidates]))]
    helpers = current[order]
    running = np.cumsum(instance.weight[order])
    starts = np.r_[0, np.flatnonzero(np.diff(helpers)) + 1]
    before = np.repeat(running[starts] - instance.weight[order][starts], np.diff(np.r_[starts, len(order)]))
    kept = order[(running - before) <= instance.cap[helpers]]
    result[kept] = current[kept]
    np.add.at(load, current[kept], instance.weight[kept])


def _place(instance: Instance, result: np.ndarray, load: np.ndarray, divisor: int, weight: int) -> None:
    """Give the unplaced households of this weight the free slots of their circle. A household
    dealt its own official's slot is placed apart; if it cannot be, it sits this circle out
    and the slots it left are dealt again to those still waiting."""
    out = np.zeros(len(result), dtype=bool)
    while True:
        waiting = np.flatnonzero((result == NONE) & (instance.weight == weight) & ~out)
        placed, chosen = _deal(instance, load, divisor, weight, waiting)
        own = instance.own(placed, chosen)
        result[placed[~own]] = chosen[~own]
        np.add.at(load, chosen[~own], weight)
        if not own.any():
            return
        out[_place_apart(instance, result, load, divisor, placed[own])] = True


def _deal(
    instance: Instance, load: np.ndarray, divisor: int, weight: int, waiting: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Households matched by rank to the free slots of their circle: (households, helpers)."""
    slots_each = (instance.cap - load) // weight
    if not len(waiting) or not slots_each.sum():
        return waiting[:0], waiting[:0]
    helper_of_slot = np.repeat(np.arange(len(slots_each)), slots_each)
    round_of_slot = np.arange(len(helper_of_slot)) - np.repeat(np.cumsum(slots_each) - slots_each, slots_each)
    slot_key = instance.helper_village[helper_of_slot] // divisor
    slot_order = np.lexsort((helper_of_slot, round_of_slot, slot_key))
    helper_of_slot, slot_key = helper_of_slot[slot_order], slot_key[slot_order]

    household_key = instance.village[waiting] // divisor
    waiting = waiting[np.argsort(household_key, kind="stable")]
    household_key = instance.village[waiting] // divisor
    # Rank of each household within its circle, matched to the slot of the same rank.
    first = np.searchsorted(household_key, household_key, side="left")
    rank = np.arange(len(waiting)) - first
    slot_start = np.searchsorted(slot_key, household_key, side="left")
    slot_end = np.searchsorted(slot_key, household_key, side="right")
    fits = slot_start + rank < slot_end
    return waiting[fits], helper_of_slot[(slot_start + rank)[fits]]


def _place_apart(
    instance: Instance, result: np.ndarray, load: np.ndarray, divisor: int, homes: np.ndarray
) -> np.ndarray:
    """Households dealt their own official's slot: few (one per official at most), so each
    takes in turn the freest other helper of its circle. Returns those no one there can take."""
    home_of = instance.home()
    left = []
    for h in homes:
        room = instance.cap - load
        fits = (room >= instance.weight[h]) & (home_of != h)
        fits &= instance.helper_village // divisor == instance.village[h] // divisor
        if not fits.any():
            left.append(h)
            continue
        helper = int(np.argmax(np.where(fits, room, -1)))
        result[h] = helper
        load[helper] += instance.weight[h]
    return np.array(left, dtype=np.int64)


def loads(instance: Instance, result: np.ndarray) -> np.ndarray:
    """Each helper's load (the sum of their households' weights)."""
    placed = result >= 0
    return np.bincount(result[placed], weights=instance.weight[placed], minlength=len(instance.cap)).astype(np.int64)
