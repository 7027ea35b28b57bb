"""Who lives together: household sizes, each member's relation to the head, sex and age.

A household is drawn from a table of compositions (old couple, couple with children, three
generations…) for its size; each member's age follows from the head's, so that parents
are a generation older than their children and grandchildren two younger. Relations use
the codes of GB/T 4761 (registry.catalogues.RELATION). Vectorised: one pass per
composition over all the households that have it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .params import SIZE_SHARES


@dataclass(frozen=True)
class Template:
    """A composition: one letter per member, head first, and who the head is.

    H head, S spouse, C child, A adult son (with D his wife and G their children when
    present), G grandchild, F father, M mother, P a parent of either sex.
    """

    roles: str
    weight: float
    head_ages: tuple[int, int]
    head_female: float


TEMPLATES = (
    # One person: mostly the old, many of them widows; some single men.
    Template("H", 0.70, (62, 94), 0.55),
    Template("H", 0.30, (28, 61), 0.15),
    Template("HS", 0.55, (60, 88), 0.03),
    Template("HA", 0.15, (58, 86), 0.35),
    Template("HS", 0.12, (22, 36), 0.03),
    Template("HC", 0.12, (30, 55), 0.60),
    Template("HM", 0.06, (28, 58), 0.10),
    Template("HSC", 0.50, (26, 55), 0.04),
    Template("HSA", 0.15, (56, 80), 0.03),
    Template("HSP", 0.15, (25, 42), 0.04),
    # Grandparents bringing up grandchildren whose parents work away (留守儿童).
    Template("HCC", 0.10, (32, 55), 0.55),
    Template("HGG", 0.10, (56, 82), 0.45),
    Template("HSCC", 0.45, (30, 52), 0.04),
    Template("HSCP", 0.20, (26, 45), 0.04),
    Template("HSAD", 0.20, (52, 78), 0.03),
    Template("HSGG", 0.15, (56, 80), 0.03),
    Template("HSADG", 0.35, (50, 78), 0.03),
    Template("HSCCP", 0.30, (28, 48), 0.04),
    Template("HSCCC", 0.20, (32, 52), 0.04),
    Template("HSCFM", 0.15, (26, 45), 0.03),
    Template("HSADGG", 0.45, (52, 80), 0.03),
    Template("HSCCFM", 0.35, (28, 48), 0.03),
    Template("HSCCCC", 0.20, (34, 52), 0.03),
    Template("HSADGGG", 0.60, (54, 80), 0.03),
    Template("HSCCCFM", 0.40, (30, 48), 0.03),
    Template("HSADGGGC", 0.60, (54, 76), 0.03),
    Template("HSCCCCFM", 0.40, (32, 48), 0.03),
)
BY_SIZE = {size: [i for i, t in enumerate(TEMPLATES) if len(t.roles) == size] for size in range(1, 9)}
# Households of old people only (nobody under 55), for vulnerability and support.
OLD_ONLY = frozenset(i for i, t in enumerate(TEMPLATES) if t.roles in ("H", "HS") and t.head_ages[0] >= 60)


@dataclass
class Composition:
    """Households and their members, members grouped by household, head first."""

    template: np.ndarray  # per household: index into TEMPLATES
    size: np.ndarray  # per household
    household: np.ndarray  # per member: index of the household
    role: np.ndarray  # per member: letter of TEMPLATES roles
    relation: np.ndarray  # per member: GB/T 4761 code
    male: np.ndarray  # per member
    age: np.ndarray  # per member, whole years at the as-of date

    @property
    def start(self) -> np.ndarray:
        """Index of each household's first member (its head)."""
        return np.concatenate(([0], np.cumsum(self.size)[:-1]))


def compose(rng: np.random.Generator, count: int) -> Composition:
    """``count`` households with their members, in random order of compositions."""
    size = rng.choice(np.arange(1, 9), size=count, p=SIZE_SHARES)
    template = np.empty(count, dtype=np.int16)
    for s, choices in BY_SIZE.items():
        rows = np.flatnonzero(size == s)
        weights = np.array([TEMPLATES[i].weight for i in choices])
        template[rows] = np.array(choices)[rng.choice(len(choices), size=len(rows), p=weights / weights.sum())]
    parts = [_members(rng, TEMPLATES[t], np.flatnonzero(template == t)) for t in range(len(TEMPLATES))]
    household = np.concatenate([p[0] for p in parts])
    # Stable by household, and within a household in the order of its template (head first).
    order = np.argsort(household, kind="stable")
    columns = [np.concatenate([p[i] for p in parts])[order] for i in range(1, 5)]
    return Composition(template, size, household[order], *columns)


def _members(rng: np.random.Generator, template: Template, households: np.ndarray) -> tuple[np.ndarray, ...]:
    n, k = len(households), len(template.roles)
    ages = np.zeros((n, k), dtype=np.int64)
    male = np.zeros((n, k), dtype=bool)
    relation = np.empty((n, k), dtype="<U2")
    low, high = template.head_ages
    # A triangular spread leans the old towards their sixties and seventies.
    head = np.rint(rng.triangular(low, low + (high - low) * 0.35, high, n)).astype(np.int64)
    head_male = rng.random(n) >= template.head_female
    last: dict[str, np.ndarray] = {}
    for j, role in enumerate(template.roles):
        age, sex, code = _role(rng, role, n, head, head_male, last, template.roles, template.roles[:j])
        if role in "CG":
            # Brothers and sisters at least a year apart, with room left for the younger ones.
            if role in template.roles[:j]:
                age = np.minimum(age, last[role] - 1)
            age = np.maximum(age, 2 * template.roles[j + 1 :].count(role))
        ages[:, j], male[:, j], relation[:, j] = np.clip(age, 0, 100), sex, code
        last[role] = ages[:, j]
    return (
        np.repeat(households, k),
        np.tile(np.array(list(template.roles)), n),
        relation.ravel(),
        male.ravel(),
        ages.ravel(),
    )


def _role(
    rng: np.random.Generator,
    role: str,
    n: int,
    head: np.ndarray,
    head_male: np.ndarray,
    last: dict[str, np.ndarray],
    roles: str,
    before: str,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Age, sex and relation code of one role for ``n`` households."""
    coin = rng.random(n)
    if role == "H":
        return head, head_male, np.full(n, "02")
    if role == "S":
        # Wives are a couple of years younger than their husbands; both are of age to marry.
        gap = np.clip(rng.normal(2.5, 2.5, n), -6, 12).round().astype(np.int64)
        age = np.where(head_male, np.maximum(head - gap, 20), np.maximum(head + gap, 22))
        return age, ~head_male, np.full(n, "10")
    if role in ("C", "A"):
        if role == "C" and "A" in before:  # a younger unmarried child of the old couple
            age = last["A"] - rng.integers(2, 11, n)
        elif role == "C" and "C" in before:
            age = last["C"] - rng.integers(1, 7, n)
        else:
            mother = np.where(head_male, last["S"], head) if "S" in before else head
            age = np.minimum(mother - rng.integers(20, 34, n), head - 18)
        if role == "A":  # a grown son, of age to be married when his wife lives here too
            age = np.maximum(age, (22 if "D" in roles else 18) + 2 * roles.count("G"))
        son = np.ones(n, dtype=bool) if role == "A" else coin < 0.52
        return np.maximum(age, 0), son, np.where(son, "20", "30")
    if role == "D":
        gap = np.clip(rng.normal(2, 2.5, n), -5, 10).round().astype(np.int64)
        return np.maximum(last["A"] - gap, 20), np.zeros(n, dtype=bool), np.full(n, "38")
    if role == "G":
        if "G" in before:
            age = last["G"] - rng.integers(1, 6, n)
        elif "D" in before:
            age = last["D"] - rng.integers(20, 33, n)
        else:  # the children of a son or daughter who lives elsewhere
            age = head - rng.integers(44, 62, n)
        boy = coin < 0.53
        via_daughter = ("A" not in before) & (rng.random(n) < 0.25)
        code = np.where(via_daughter, np.where(boy, "43", "44"), np.where(boy, "41", "42"))
        return np.maximum(age, 0), boy, code
    if role in ("F", "M", "P"):
        if role == "M" and "F" in before:
            gap = np.clip(rng.normal(2.5, 2.5, n), -5, 10).round().astype(np.int64)
            age = np.maximum(last["F"] - gap, head + 18)
        else:
            age = head + rng.integers(22, 37, n)
        father = np.full(n, role == "F") if role != "P" else coin < 0.35
        return np.minimum(age, 100), father, np.where(father, "51", "52")
    raise ValueError(role)
