"""The helper rule on random instances, without a database: no helper over the cap, every
household covered when capacity allows, continuity kept, and nearer helpers preferred."""

from __future__ import annotations

import numpy as np
import pytest

from zhucun.selection.helpers import rules

BASE = 522701000000


def _instance(seed: int, households: int, helpers: int, current_share: float = 0.3) -> rules.Instance:
    rng = np.random.default_rng(seed)

    def villages(n: int) -> np.ndarray:
        return BASE + rng.integers(1, 4, n) * 1000 + rng.integers(1, 5, n)

    current = np.where(rng.random(households) < current_share, rng.integers(0, helpers, households), -1)
    return rules.Instance(
        village=villages(households),
        weight=rng.choice([1, 2], households, p=[0.7, 0.3]),
        current=current,
        helper_village=villages(helpers),
        cap=rng.integers(3, 7, helpers),
    )


def _free(instance: rules.Instance, result: np.ndarray) -> np.ndarray:
    return instance.cap - rules.loads(instance, result)


@pytest.mark.parametrize("seed", range(40))
def test_no_helper_over_cap_and_no_household_left_while_someone_has_room(seed):
    instance = _instance(seed, households=int(30 + seed * 7), helpers=12)
    result = rules.assign(instance)
    free = _free(instance, result)
    assert (free >= 0).all()
    left = np.flatnonzero(result < 0)
    if len(left):
        # Maximal: nobody has room for the lightest household left over.
        assert free.max() < instance.weight[left].min()
    if instance.weight.sum() <= instance.cap.sum() - len(instance.cap):
        assert len(left) == 0


@pytest.mark.parametrize("seed", range(20))
def test_current_helpers_are_kept_within_their_cap(seed):
    instance = _instance(seed, households=40, helpers=15, current_share=0.6)
    result = rules.assign(instance)
    has = instance.current >= 0
    kept_load = np.bincount(instance.current[has], weights=instance.weight[has], minlength=15)
    # A helper whose current households fit keeps every one of them.
    fitting = kept_load <= instance.cap
    keeps = has & fitting[np.where(has, instance.current, 0)]
    assert (result[keeps] == instance.current[keeps]).all()


@pytest.mark.parametrize("seed", range(20))
def test_a_household_goes_further_only_when_its_village_has_no_room(seed):
    instance = _instance(seed, households=60, helpers=14, current_share=0.0)
    result = rules.assign(instance)
    free = _free(instance, result)
    for h in np.flatnonzero(result >= 0):
        helper = result[h]
        for digits in (1, 1000):
            if instance.helper_village[helper] // digits != instance.village[h] // digits:
                near = instance.helper_village // digits == instance.village[h] // digits
                assert (free[near] < instance.weight[h]).all()


def test_priority_households_weigh_two():
    status = np.array(["11", "21", "12", "13"])
    attribute = np.array(["1", "1", "3", "2"])
    assert rules.weights(status, attribute).tolist() == [1, 2, 2, 1]


def test_load_spreads_across_a_village_helpers():
    instance = rules.Instance(
        village=np.full(6, BASE + 1001),
        weight=np.ones(6, dtype=np.int64),
        current=np.full(6, -1),
        helper_village=np.full(3, BASE + 1001),
        cap=np.full(3, 5),
    )
    assert rules.loads(instance, rules.assign(instance)).tolist() == [2, 2, 2]


def _with_homes(instance: rules.Instance, seed: int) -> rules.Instance:
    """Half the helpers are village officials living in a household of their village (two
    officials may share one); some of them currently help their own household."""
    rng = np.random.default_rng(seed + 1000)
    home = np.full(len(instance.cap), rules.NONE, dtype=np.int64)
    current = instance.current.copy()
    for helper in np.flatnonzero(rng.random(len(instance.cap)) < 0.5):
        same = np.flatnonzero(instance.village == instance.helper_village[helper])
        if len(same):
            home[helper] = rng.choice(same)
            if rng.random() < 0.5:
                current[home[helper]] = helper
    return rules.Instance(
        village=instance.village,
        weight=instance.weight,
        current=current,
        helper_village=instance.helper_village,
        cap=instance.cap,
        helper_home=home,
    )


@pytest.mark.parametrize("seed", range(40))
def test_an_official_never_helps_their_own_household(seed):
    instance = _with_homes(_instance(seed, households=int(20 + seed * 5), helpers=10, current_share=0.4), seed)
    result = rules.assign(instance)
    placed = np.flatnonzero(result >= 0)
    assert not (instance.helper_home[result[placed]] == placed).any()
    free = _free(instance, result)
    assert (free >= 0).all()
    # Still maximal: a household left over fits no helper but its own officials.
    for h in np.flatnonzero(result < 0):
        others = instance.helper_home != h
        assert (free[others] < instance.weight[h]).all()


@pytest.mark.parametrize("seed", range(20))
def test_an_official_household_stays_in_its_village_when_another_helper_there_has_room(seed):
    instance = _with_homes(_instance(seed, households=50, helpers=14, current_share=0.0), seed)
    result = rules.assign(instance)
    free = _free(instance, result)
    for h in np.flatnonzero((result >= 0) & np.isin(np.arange(50), instance.helper_home)):
        if instance.helper_village[result[h]] != instance.village[h]:
            near = (instance.helper_village == instance.village[h]) & (instance.helper_home != h)
            assert (free[near] < instance.weight[h]).all()


def test_the_only_helper_of_a_village_does_not_take_their_own_household():
    instance = rules.Instance(
        village=np.array([BASE + 1001, BASE + 1001]),
        weight=np.ones(2, dtype=np.int64),
        current=np.array([0, -1]),
        helper_village=np.array([BASE + 1001, BASE + 2001]),
        cap=np.full(2, 5),
        helper_home=np.array([0, -1]),
    )
    assert rules.assign(instance).tolist() == [1, 0]
