"""Kinship rules, pure: which relations a household's roll implies, and one step of the
walk from a set of people to their relatives.

A member's relation to the head (GB/T 4761) gives the member a *role* in the household;
``RULES`` says what two roles make of each other. Only what the codes make certain is
derived: a daughter-in-law is the in-law of the head and the head's spouse, but which
son she married the roll does not say, so she reaches him through the head.

An edge ``(x, y, kind)`` reads "x is <kind> of y", as the declared ``kin_relations`` do:
``parent`` and ``grandparent`` have a direction, the other kinds do not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import NamedTuple

SPOUSE, PARENT, SIBLING, IN_LAW, GRANDPARENT, OTHER = "spouse", "parent", "sibling", "in_law", "grandparent", "other"
KINDS = (SPOUSE, PARENT, SIBLING, IN_LAW, GRANDPARENT, OTHER)


def _codes(role: str, *spans: tuple[int, int]) -> dict[str, str]:
    return {f"{code:02d}": role for low, high in spans for code in range(low, high + 1)}


ROLE_OF: dict[str, str] = {
    **_codes("head", (1, 2)),
    **_codes("spouse", (10, 12)),
    **_codes("child", (20, 27), (29, 37), (39, 39)),
    **_codes("child_in_law", (28, 28), (38, 38)),
    **_codes("grandchild", (40, 44), (49, 49)),
    **_codes("grandchild_in_law", (45, 46)),
    **_codes("great_grandchild", (47, 48)),
    **_codes("parent", (50, 52), (57, 59)),
    **_codes("parent_in_law", (53, 56)),
    **_codes("grandparent", (60, 64), (69, 69)),
    **_codes("grandparent_in_law", (65, 65)),
    **_codes("great_grandparent", (66, 68)),
    **_codes("sibling", (70, 71), (73, 73), (75, 75), (77, 77), (79, 79)),
    **_codes("sibling_in_law", (72, 72), (74, 74), (76, 76), (78, 78)),
    **_codes("relative", (80, 97)),
}  # 99 非亲属 lives in the household but is no relative: it has no role.

# (role x, role y, kind): x is <kind> of y whenever both live in one household.
RULES: tuple[tuple[str, str, str], ...] = (
    ("head", "spouse", SPOUSE),
    ("head", "child", PARENT),
    ("spouse", "child", PARENT),
    ("child", "child", SIBLING),
    ("head", "child_in_law", IN_LAW),
    ("spouse", "child_in_law", IN_LAW),
    ("head", "grandchild", GRANDPARENT),
    ("spouse", "grandchild", GRANDPARENT),
    ("head", "grandchild_in_law", IN_LAW),
    ("spouse", "grandchild_in_law", IN_LAW),
    ("head", "great_grandchild", OTHER),
    ("spouse", "great_grandchild", OTHER),
    ("parent", "head", PARENT),
    ("parent", "sibling", PARENT),
    ("parent", "child", GRANDPARENT),
    ("parent", "spouse", IN_LAW),
    ("parent_in_law", "spouse", PARENT),
    ("parent_in_law", "head", IN_LAW),
    ("parent_in_law", "child", GRANDPARENT),
    ("grandparent", "head", GRANDPARENT),
    ("grandparent", "sibling", GRANDPARENT),
    ("grandparent_in_law", "spouse", GRANDPARENT),
    ("grandparent_in_law", "head", IN_LAW),
    ("great_grandparent", "head", OTHER),
    ("sibling", "head", SIBLING),
    ("sibling", "sibling", SIBLING),
    ("sibling", "spouse", IN_LAW),
    ("sibling_in_law", "head", IN_LAW),
    ("relative", "head", OTHER),
)

# What the person reached is to the one walking: forward along an edge, then backward.
STEPS: dict[str, tuple[str, str]] = {
    SPOUSE: ("spouse", "spouse"),
    PARENT: ("child", "parent"),
    SIBLING: ("sibling", "sibling"),
    IN_LAW: ("in_law", "in_law"),
    GRANDPARENT: ("grandchild", "grandparent"),
    OTHER: ("relative", "relative"),
}
# When two ways reach a person in as many steps, the closer kind names the path.
STEP_ORDER = ("spouse", "parent", "child", "sibling", "grandparent", "grandchild", "in_law", "relative")


class Edge(NamedTuple):
    x: int
    y: int
    kind: str


class Step(NamedTuple):
    step: str
    member_id: int


class Kin(NamedTuple):
    """How a relative is reached: ``degree`` steps along ``path``."""

    degree: int
    path: tuple[Step, ...]

    @property
    def steps(self) -> tuple[str, ...]:
        return tuple(s.step for s in self.path)


def household_edges(members: Iterable[tuple[int, str]]) -> list[Edge]:
    """The relations among one household's members, from (member id, relation to the head)."""
    by_role: dict[str, list[int]] = defaultdict(list)
    for member_id, relation in members:
        role = ROLE_OF.get(relation)
        if role:
            by_role[role].append(member_id)
    edges = []
    for role_x, role_y, kind in RULES:
        for x in by_role.get(role_x, ()):
            # Two people of one role (two children) are related once, not twice.
            edges += [Edge(x, y, kind) for y in by_role.get(role_y, ()) if x != y and (role_x != role_y or x < y)]
    return edges


def adjacency(edges: Iterable[Edge]) -> dict[int, list[Step]]:
    """Each person's steps to their direct relatives, closest kinds first."""
    steps: dict[int, set[Step]] = defaultdict(set)
    for x, y, kind in edges:
        forward, backward = STEPS[kind]
        steps[x].add(Step(forward, y))
        steps[y].add(Step(backward, x))
    rank = {name: i for i, name in enumerate(STEP_ORDER)}
    return {node: sorted(found, key=lambda s: (rank[s.step], s.member_id)) for node, found in steps.items()}


def advance(
    reached: dict[int, dict[int, Kin]], frontier: Mapping[int, Iterable[int]], steps: Mapping[int, list[Step]]
) -> dict[int, set[int]]:
    """One step of the walk for every anchor: record the people first reached from the
    anchor's frontier in ``reached`` and return the new frontiers."""
    following: dict[int, set[int]] = {}
    for anchor, members in frontier.items():
        known = reached.setdefault(anchor, {})
        new: set[int] = set()
        for member in sorted(members):
            base = known[member].path if member != anchor else ()
            for step in steps.get(member, ()):
                if step.member_id != anchor and step.member_id not in known:
                    known[step.member_id] = Kin(len(base) + 1, (*base, step))
                    new.add(step.member_id)
        if new:
            following[anchor] = new
    return following


def walk(anchors: Iterable[int], edges: Iterable[Edge], degree: int) -> dict[int, dict[int, Kin]]:
    """Every relative of each anchor within ``degree`` steps over known edges (in memory;
    the database walks with ``advance`` one degree per query)."""
    steps = adjacency(edges)
    reached: dict[int, dict[int, Kin]] = {a: {} for a in anchors}
    frontier: dict[int, set[int]] = {a: {a} for a in reached}
    for _ in range(degree):
        frontier = advance(reached, frontier, steps)
    return reached
