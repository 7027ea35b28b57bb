"""Village officials chosen among the residents, and the kin they have in their village.

Each village has a party secretary (often also the committee director: 一肩挑), committee
and party members (at least one woman on the committee, as the Organic Law of Village
Committees requires), a supervisor, an accountant and a leader for each village group.
Each official has declared kin in other households of the same village: brothers and
sisters (same surname), parents and grown children living apart, in-laws and cousins.
That kinship is what the work teams watch, so that relief does not go to the relatives
and friends of village heads (domain.md).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from .params import Parameters

EDUCATION_WEIGHT = np.array([0, 0.2, 0.5, 1.0, 1.5, 1.5, 2.0, 2.0, 0])  # by EDUCATION code 0–8
KIN_KINDS = ("sibling", "parent", "child", "in_law", "cousin")
KIN_SHARES = (0.35, 0.13, 0.12, 0.2, 0.2)
KIN_PER_NEW_OFFICIAL = (2, 4)


@dataclass
class Villagers:
    """The members of one county, grouped by village and household (contiguous)."""

    household: np.ndarray
    age: np.ndarray
    male: np.ndarray
    surname: np.ndarray
    health: np.ndarray
    student: np.ndarray
    education: np.ndarray
    group: np.ndarray  # the village group of the member's household (0 for none)


@dataclass
class Officials:
    member: list[int] = field(default_factory=list)
    village: list[int] = field(default_factory=list)
    post: list[str] = field(default_factory=list)
    term_start: list[date] = field(default_factory=list)
    term_end: list[date | None] = field(default_factory=list)
    kin_a: list[int] = field(default_factory=list)
    kin_b: list[int] = field(default_factory=list)
    kin_kind: list[str] = field(default_factory=list)
    kin_note: list[str | None] = field(default_factory=list)


def choose(
    rng: np.random.Generator,
    p: Parameters,
    people: Villagers,
    village_members: list[tuple[int, int]],
    min_households: int = 10,
) -> Officials:
    """Officials and their kin for each village (``village_members``: member index ranges)."""
    result = Officials()
    for v, (first, stop) in enumerate(village_members):
        local = Villagers(*(getattr(people, name)[first:stop] for name in Villagers.__dataclass_fields__))
        if len(np.unique(local.household)) < min_households:
            continue  # a hamlet this small has no committee of its own in the demo
        _village(rng, p, local, first, v, result)
    return result


def _village(rng: np.random.Generator, p: Parameters, people: Villagers, first: int, v: int, out: Officials) -> None:
    """One village's posts and kin; ``people`` are its villagers only, ``first`` the index of
    the first of them in the county."""
    start = _term_start(rng, p)
    end = start.replace(year=start.year + p.term_years)
    # Able adults in households that hold no post yet.
    free = (people.age >= 25) & (people.age <= 65) & np.isin(people.health, ("1", "2")) & (people.student == "0")
    weight = EDUCATION_WEIGHT[people.education.astype(int)]
    posts: list[tuple[int, str]] = []

    def pick(post: str, pool: np.ndarray | None = None, female: bool = False) -> None:
        member = _pick(rng, people, free if pool is None else free & pool, weight, post, female)
        if member is not None:
            free[people.household == people.household[member]] = False
            posts.append((member, post))

    pick("11")
    if posts and rng.random() < p.one_shoulder:
        posts.append((posts[0][0], "21"))
    else:
        pick("21")
    if rng.random() < 0.3:
        pick("12")
    for _ in range(rng.integers(1, 3)):
        pick("13")
    pick("23", female=True)
    for _ in range(rng.integers(1, 3)):
        pick("23")
    pick("31")
    pick("41")
    for group in np.unique(people.group):
        if group:
            pick("51", people.group == group)
    for member, post in posts:
        out.member.append(first + member)
        out.village.append(v)
        out.post.append(post)
        out.term_start.append(start)
        out.term_end.append(end)
    linked: dict[int, set[int]] = {}  # each person's declared relatives, both ways
    for member, post in dict(reversed(posts)).items():
        low, high = (
            p.kin_per_leader if post in ("11", "21") else p.kin_per_group_leader if post == "51" else p.kin_per_official
        )
        _link(rng, people, member, int(rng.integers(low, high + 1)), linked, first, out)


def elect(
    rng: np.random.Generator,
    p: Parameters,
    people: Villagers,
    village_members: list[tuple[int, int]],
    out: Officials,
    returned: Collection[int] = (),
) -> None:
    """The 2026 elections (换届): as each village's term ends, a new one starts the same day
    and sits still (no end). Most officials are re-elected; a post whose holder is not is
    filled from the village's other able adults (a woman for a woman, on the committee), who
    declare their kin too. A few villages have not voted yet: their officials' terms have
    ended and their posts wait. In the ``returned`` villages (where favouritism is planted)
    every official is re-elected: the same people, the same kin — what the planted truth
    measures. ``rng`` is the elections' own, so that the rest of the county is the same as
    without them."""
    linked: dict[int, set[int]] = {}
    for a, b in zip(out.kin_a, out.kin_b, strict=True):
        linked.setdefault(a, set()).add(b)
        linked.setdefault(b, set()).add(a)
    terms: dict[int, list[int]] = {}
    for row, v in enumerate(out.village):
        terms.setdefault(v, []).append(row)
    for v, rows in sorted(terms.items()):
        if rng.random() >= p.elected_share:
            continue
        first, stop = village_members[v]
        local = Villagers(*(getattr(people, name)[first:stop] for name in Villagers.__dataclass_fields__))
        held = [(out.member[r] - first, out.post[r], out.term_end[r]) for r in rows]
        _elect_village(rng, 1.0 if v in returned else p.reelected, local, first, v, held, linked, out)


def _elect_village(
    rng: np.random.Generator,
    reelected: float,
    people: Villagers,
    first: int,
    v: int,
    held: list[tuple[int, str, date | None]],
    linked: dict[int, set[int]],
    out: Officials,
) -> None:
    start = held[0][2]
    assert start is not None
    members = list(dict.fromkeys(m for m, _, _ in held))
    stays = {m for m in members if rng.random() < reelected}
    free = (people.age >= 25) & (people.age <= 65) & np.isin(people.health, ("1", "2")) & (people.student == "0")
    free &= ~np.isin(people.household, people.household[list(stays)])
    weight = EDUCATION_WEIGHT[people.education.astype(int)]
    chosen = {m: m for m in stays}
    for member, post, _ in held:
        if member in chosen:
            continue
        pool = free & (people.group == people.group[member]) if post == "51" else free
        new = _pick(rng, people, pool, weight, post, female=not people.male[member])
        if new is None:
            continue  # no one stood: the post waits for a by-election
        chosen[member] = new
        free[people.household == people.household[new]] = False
        # Their kin, never declared twice (an old official may have named them already).
        known = {new: {k - first for k in linked.get(first + new, set())}}
        before = len(out.kin_a)
        low, high = KIN_PER_NEW_OFFICIAL
        _link(rng, people, new, int(rng.integers(low, high + 1)), known, first, out)
        for a, b in zip(out.kin_a[before:], out.kin_b[before:], strict=True):
            linked.setdefault(a, set()).add(b)
            linked.setdefault(b, set()).add(a)
    for member, post, _ in held:
        if member in chosen:
            out.member.append(first + chosen[member])
            out.village.append(v)
            out.post.append(post)
            out.term_start.append(start)
            out.term_end.append(None)


def _term_start(rng: np.random.Generator, p: Parameters) -> date:
    low, high = p.term_starts
    return date.fromordinal(int(rng.integers(low.toordinal(), high.toordinal() + 1)))


def _pick(
    rng: np.random.Generator, people: Villagers, fit: np.ndarray, education: np.ndarray, post: str, female: bool
) -> int | None:
    """A villager for a post, the better schooled and (for the leaders) the middle-aged likelier."""
    if female:
        fit = fit & ~people.male
    if not fit.any():
        return None
    weight = education * np.where(people.male | female, 1.0, 0.25)
    if post in ("11", "21", "12"):
        weight = weight * np.where((people.age >= 35) & (people.age <= 60), 3.0, 1.0)
    if post == "41":
        weight = weight * np.where(education >= 1.5, 3.0, 1.0)
    weight = np.where(fit, weight + 1e-9, 0.0)
    return int(rng.choice(len(weight), p=weight / weight.sum()))


def _link(
    rng: np.random.Generator,
    people: Villagers,
    member: int,
    count: int,
    linked: dict[int, set[int]],
    first: int,
    out: Officials,
) -> None:
    """Declare ``count`` relatives of ``member`` in other households of the village."""
    age, surname = people.age[member], people.surname[member]
    open_ = (people.household != people.household[member]) & (people.age >= 18)
    for known in linked.get(member, ()):
        open_[known] = False
    gap = people.age - age
    same = people.surname == surname
    fits = {
        "sibling": same & (np.abs(gap) <= 15),
        "parent": (gap >= 20) & (gap <= 40) & (same | ~people.male),
        "child": (gap <= -20) & (gap >= -40) & (same | ~people.male[member]),
        "in_law": ~same & (np.abs(gap) <= 20),
        "cousin": np.abs(gap) <= 15,
    }
    for _ in range(count):
        kind = KIN_KINDS[rng.choice(len(KIN_KINDS), p=KIN_SHARES)]
        chosen = fits[kind] & open_
        if not chosen.any():
            kind, chosen = "cousin", fits["cousin"] & open_
        if not chosen.any():
            kind, chosen = "cousin", open_
        if not chosen.any():
            return
        relative = int(rng.choice(np.flatnonzero(chosen)))
        open_[relative] = False
        linked.setdefault(member, set()).add(relative)
        linked.setdefault(relative, set()).add(member)
        a, b, code, note = _declare(kind, first + member, first + relative, bool(same[relative]))
        out.kin_a.append(a)
        out.kin_b.append(b)
        out.kin_kind.append(code)
        out.kin_note.append(note)


def _declare(kind: str, member: int, relative: int, same_surname: bool) -> tuple[int, int, str, str | None]:
    """(member_a, member_b, KIN code, note): ``parent`` reads "a is a parent of b"."""
    if kind == "parent":
        return relative, member, "parent", None
    if kind == "child":
        return member, relative, "parent", None
    if kind == "cousin":
        return member, relative, "other", "堂兄弟姐妹" if same_surname else "表兄弟姐妹"
    return member, relative, kind, None
