"""A household's place in the register: ever registered poor or not, status after 2020,
attribute (一般/低保/特困), causes of poverty, years, housing, water, land and assets.

Who is poor follows who lives in the household: the old living alone, the ill, the
disabled and those without labour are registered more often; the main cause is drawn
among the causes that fit the household, and a household registered for illness or
disability has a member who is ill or disabled. Pure functions over numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .households import OLD_ONLY, Composition
from .params import CAUSE_SHARES, Parameters
from .people import People, disabilities, labour

REGISTERED = ("12", "13", "14", "21")
MONITORED = ("21", "22", "23")
# Status codes of households that relief is meant for (14 no longer is).
SUPPORTED = ("12", "13", "21", "22", "23")
CAUSES = np.array(list(CAUSE_SHARES))
CAUSE_WEIGHTS = np.array(list(CAUSE_SHARES.values()))


@dataclass
class Facts:
    """What each household's members add up to, for the register's rules."""

    old_only: np.ndarray
    ill: np.ndarray  # members chronically or seriously ill
    disabled: np.ndarray
    labourers: np.ndarray  # ordinary or skilled labour
    migrants: np.ndarray
    students: np.ndarray  # at school from primary on
    seniors: np.ndarray  # students from senior secondary on
    children: np.ndarray  # under 16
    elderly: np.ndarray  # 60 and over


def facts(comp: Composition, people: People) -> Facts:
    n = len(comp.size)

    def count(mask: np.ndarray) -> np.ndarray:
        return np.bincount(comp.household[mask], minlength=n)

    student = people.student.astype(np.int64)
    return Facts(
        np.isin(comp.template, list(OLD_ONLY)),
        count(np.isin(people.health, ("2", "3"))),
        count(people.health == "4"),
        count(np.isin(people.labour, ("1", "2"))),
        count(people.migrant_months > 0),
        count(student >= 2),
        count(student >= 4),
        count(comp.age < 16),
        count(comp.age >= 60),
    )


def vulnerability(f: Facts, size: np.ndarray) -> np.ndarray:
    """How much likelier than average a household is to be poor (mean 1 over a county)."""
    v = np.ones(len(size))
    v *= np.where(f.old_only, 1.6, 1.0)
    v *= np.where(f.labourers == 0, 1.8, 1.0)
    v *= np.where(f.ill > 0, 1.4, 1.0)
    v *= np.where(f.disabled > 0, 1.5, 1.0)
    v *= np.where(f.children >= 3, 1.3, 1.0)
    v *= np.where(f.migrants > 0, 0.7, 1.0)
    return v / v.mean() if len(v) else v


def statuses(
    rng: np.random.Generator,
    p: Parameters,
    v: np.ndarray,
    poor_village: np.ndarray,
    community: np.ndarray,
    relocation: np.ndarray,
) -> np.ndarray:
    """HOUSEHOLD_STATUS codes as they stand after 2020: no household is still 未脱贫."""
    n = len(v)
    base = np.where(poor_village, p.registered_in_poor_village, p.registered_elsewhere)
    base = np.where(community, np.where(relocation, p.registered_in_relocation_site, p.registered_in_community), base)
    registered = rng.random(n) < np.minimum(base * v, 0.95)
    u = rng.random(n)
    cuts = np.cumsum([p.returned_share, p.unstable_share, p.no_longer_supported_share])
    after = np.select([u < cuts[0], u < cuts[1], u < cuts[2]], ["13", "21", "14"], "12")
    w = rng.random(n)
    risk = np.minimum(v, 3.0)
    never = np.select(
        [w < p.marginal_share * risk, w < (p.marginal_share + p.hardship_share) * risk], ["22", "23"], "00"
    )
    return np.where(registered, after, never)


def attributes(rng: np.random.Generator, status: np.ndarray, f: Facts, size: np.ndarray) -> np.ndarray:
    """HOUSEHOLD_ATTRIBUTE codes: 特困 for the old and disabled without support, 低保 for the poorest."""
    n = len(status)
    u = rng.random(n)
    supported = np.isin(status, SUPPORTED)
    alone = (f.old_only | ((size == 1) & (f.disabled > 0))) & (f.labourers == 0)
    extreme = alone & (u < np.where(supported, 0.35, 0.02))
    allowance_share = np.select(
        [np.isin(status, ("12", "13", "21")), np.isin(status, MONITORED), status == "14"], [0.30, 0.35, 0.08], 0.03
    )
    allowance = rng.random(n) < allowance_share
    return np.where(extreme, "3", np.where(allowance, "2", "1"))


def causes(rng: np.random.Generator, status: np.ndarray, f: Facts) -> tuple[np.ndarray, np.ndarray]:
    """(main cause, other causes as "08,09"), empty for households never registered."""
    n = len(status)
    fit = np.ones((n, len(CAUSES)))
    index = {code: i for i, code in enumerate(CAUSES)}
    fit[:, index["01"]] = np.where(f.ill > 0, 3.0, 0.3)
    fit[:, index["02"]] = np.where(f.disabled > 0, 5.0, 0.35)
    fit[:, index["03"]] = np.where(f.seniors > 0, 3.0, 0.1)
    fit[:, index["10"]] = np.where(f.labourers == 0, 2.0, 0.3)
    fit[:, index["04"]] = np.where(status == "23", 6.0, 1.0)
    weights = CAUSE_WEIGHTS * fit
    main = _draw(rng, weights)
    extra = weights.copy()
    extra[np.arange(n), main] = 0
    second = _draw(rng, extra)
    extra[np.arange(n), second] = 0
    third = _draw(rng, extra)
    k = rng.choice(3, size=n, p=(0.4, 0.4, 0.2))
    other = np.where(
        k == 0, "", np.where(k == 1, CAUSES[second], np.char.add(np.char.add(CAUSES[second], ","), CAUSES[third]))
    )
    has = status != "00"
    return np.where(has, CAUSES[main], ""), np.where(has, other, "")


def fit_members(rng: np.random.Generator, comp: Composition, people: People, main: np.ndarray) -> None:
    """Make a household registered for illness hold an ill member, and one registered for
    disability a disabled member (the oldest member who is neither, if none is)."""
    f = facts(comp, people)
    for cause, has in (("01", f.ill), ("02", f.disabled)):
        short = np.flatnonzero((main == cause) & (has == 0))
        if not len(short):
            continue
        member = _oldest(comp, short)
        if cause == "01":
            people.health[member] = np.where(rng.random(len(member)) < 0.35, "3", "2")
        else:
            people.health[member] = "4"
            kind, grade = disabilities(rng, np.ones(len(member), dtype=bool))
            people.disability[member], people.disability_grade[member] = kind, grade
        people.labour[member] = labour(
            rng,
            comp.age[member],
            people.student[member],
            people.health[member],
            people.disability_grade[member],
            people.education[member],
        )
        people.migrant_months[member] = np.where(
            np.isin(people.labour[member], ("1", "2")), people.migrant_months[member], 0
        )


def years(rng: np.random.Generator, p: Parameters, status: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(registered year, exited year), 0 for none: registered from 2014, all exited by 2020;
    the monitored who were never poor entered the register when monitoring began."""
    n = len(status)
    registered = rng.choice(np.arange(2014, 2020), size=n, p=(0.70, 0.10, 0.08, 0.06, 0.04, 0.02))
    exited = np.maximum(registered + 1, rng.choice(np.arange(2016, 2021), size=n, p=(0.15, 0.2, 0.25, 0.25, 0.15)))
    monitored = rng.integers(2021, p.as_of.year + 1, n)
    was_poor = np.isin(status, REGISTERED)
    registered = np.where(was_poor, registered, np.where(np.isin(status, ("22", "23")), monitored, 0))
    return registered, np.where(was_poor, np.minimum(exited, 2020), 0)


def living(
    rng: np.random.Generator, status: np.ndarray, size: np.ndarray, community: np.ndarray
) -> tuple[np.ndarray, ...]:
    """(housing safe, water safe, cultivated land, forest land, productive assets)."""
    n = len(status)
    exited = np.isin(status, ("12", "14"))
    monitored = np.isin(status, (*MONITORED, "13"))
    housing = rng.random(n) < np.select([exited, monitored], [0.995, 0.93], 0.97)
    water = rng.random(n) < np.select([exited, monitored], [0.99, 0.95], 0.98)
    land = np.where(community, 0.0, rng.lognormal(np.log(1.4 * size**0.7), 0.6)).round(1)
    forest = np.where(rng.random(n) < 0.4, 0.0, rng.lognormal(np.log(5), 1.0)).round(1)
    assets = rng.lognormal(np.log(np.where(monitored, 4000, 8000)), 1.0).round(-2)
    return housing, water, land, forest, assets


def _draw(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    cumulative = weights.cumsum(axis=1)
    return np.argmax(cumulative > rng.random(len(weights))[:, None] * cumulative[:, -1:], axis=1)


def _oldest(comp: Composition, households: np.ndarray) -> np.ndarray:
    """The oldest member of each of the given households."""
    starts, sizes = comp.start[households], comp.size[households]
    best = starts.copy()
    for offset in range(1, int(sizes.max(initial=1))):
        candidate = np.minimum(starts + offset, starts + sizes - 1)
        best = np.where(comp.age[candidate] > comp.age[best], candidate, best)
    return best
