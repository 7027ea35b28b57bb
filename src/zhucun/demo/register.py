"""One county's register, generated in memory: households and members with everything
the registry records of them, incomes, benefits, village officials and their kin, and
the planted favouritism. No database here: ``writer`` streams the result out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from . import benefits as benefit_rules
from . import favouritism, names, officials, people, poverty
from .geography import CountySpec
from .households import Composition, compose
from .incomes import Incomes, incomes, per_head_ratio
from .params import Parameters


@dataclass
class Register:
    spec: CountySpec
    villages: list[dict[str, Any]]
    places: list[str]  # township and village name, for addresses
    # households, in the order of villages and village groups
    village: np.ndarray
    group: np.ndarray
    number: np.ndarray  # sequence within the village
    status: np.ndarray
    attribute: np.ndarray
    main_cause: np.ndarray
    other_causes: np.ndarray
    registered_year: np.ndarray
    exited_year: np.ndarray
    housing_safe: np.ndarray
    water_safe: np.ndarray
    land: np.ndarray
    forest: np.ndarray
    assets: np.ndarray
    comp: Composition
    # members
    name: list[str]
    birth: np.ndarray
    people: people.People
    incomes: Incomes
    benefits: benefit_rules.Benefits
    officials: officials.Officials
    planted: list[favouritism.Planted]

    @property
    def households(self) -> int:
        return len(self.village)

    @property
    def members(self) -> int:
        return len(self.comp.household)


def build(
    rng: np.random.Generator,
    spec: CountySpec,
    villages: list[dict[str, Any]],
    groups: dict[str, int],
    townships: dict[str, str],
    p: Parameters,
    plant: int,
) -> Register:
    """The register of one county; ``groups`` gives each village's number of groups and
    ``townships`` the townships' names by code."""
    village, group = _places(rng, spec.households, villages, groups)
    comp = compose(rng, len(village))
    flags = {key: np.array([bool(v.get(key)) for v in villages]) for key in ("is_poor_village", "is_relocation_site")}
    community = np.array([v["urban_rural_code"] == "121" for v in villages])
    birth = _births(rng, comp.age, p)
    birth_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    ethnicity = people.ethnicities(rng, spec.peoples, comp.household, comp.relation, len(village))
    person = people.people(rng, comp.age, comp.male, birth_year, ethnicity)
    facts = poverty.facts(comp, person)
    hv = village  # the village of each household
    status = poverty.statuses(
        rng,
        p,
        poverty.vulnerability(facts, comp.size),
        flags["is_poor_village"][hv],
        community[hv],
        flags["is_relocation_site"][hv],
    )
    attribute = poverty.attributes(rng, status, facts, comp.size)
    main_cause, other_causes = poverty.causes(rng, status, facts)
    poverty.fit_members(rng, comp, person, main_cause)
    facts = poverty.facts(comp, person)
    registered_year, exited_year = poverty.years(rng, p, status)
    housing, water, land, forest, assets = poverty.living(rng, status, comp.size, community[hv])
    surname = _surnames(rng, comp, village, len(villages))
    name = _distinct(
        rng, comp, names.full_names(rng, surname, comp.male, birth_year, ethnicity), surname, birth_year, ethnicity
    )
    ratio = per_head_ratio(rng, p, status, attribute)
    villagers = officials.Villagers(
        comp.household,
        comp.age,
        comp.male,
        surname,
        person.health,
        person.student,
        person.education,
        group[comp.household],
    )
    ranges = _ranges(np.bincount(village, weights=comp.size, minlength=len(villages)))
    chosen = officials.choose(rng, p, villagers, ranges)
    planted = favouritism.plant(
        rng, p, plant, chosen, comp.household, community, np.bincount(village, minlength=len(villages))
    )
    # The elections draw from a generator of their own (spawned: the county's stream is not
    # consumed), after the favouritism is planted among the officials of the ending term.
    officials.elect(
        np.random.default_rng(rng.bit_generator.seed_seq.spawn(1)[0]),
        p,
        villagers,
        ranges,
        chosen,
        returned={spot.village for spot in planted},
    )
    favoured = np.zeros(len(village), dtype=bool)
    crowded = np.zeros(len(village), dtype=bool)
    for spot in planted:
        favoured[spot.favoured_households] = True
        crowded |= village == spot.village
    crowded[favoured] = False
    favouritism.favour(rng, p, np.flatnonzero(favoured), status, attribute, main_cause, registered_year, ratio)
    income = incomes(rng, p, ratio, comp.size, facts, attribute, status)
    granted = benefit_rules.benefits(
        rng,
        p,
        status,
        attribute,
        facts,
        comp.size,
        housing,
        flags["is_relocation_site"][hv] & community[hv],
        favoured,
        crowded,
    )
    for spot in planted:
        rows = np.flatnonzero(village[granted.household] == spot.village)
        spot.evidence = favouritism.evidence(
            np.flatnonzero(village == spot.village),
            spot.relatives_households,
            granted.household[rows],
            granted.amount[rows],
        )
    places = [townships.get(v["parent_code"], "") + v["name"] for v in villages]
    return Register(
        spec,
        villages,
        places,
        village,
        group,
        _numbers(village),
        status,
        attribute,
        main_cause,
        other_causes,
        registered_year,
        exited_year,
        housing,
        water,
        land,
        forest,
        assets,
        comp,
        name,
        birth,
        person,
        income,
        granted,
        chosen,
        planted,
    )


def _places(
    rng: np.random.Generator, households: int, villages: list[dict[str, Any]], groups: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    """(village, group) of each household: villages in proportion to their size, groups at random."""
    if not villages:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    weight = np.array([v["households"] * (0.6 if v["urban_rural_code"] == "121" else 1.0) for v in villages], float)
    counts = rng.multinomial(households, weight / weight.sum())
    village = np.repeat(np.arange(len(villages)), counts)
    group_count = np.array([groups.get(v["code"], 0) for v in villages])[village]
    group = np.where(group_count > 0, 1 + (rng.random(len(village)) * np.maximum(group_count, 1)).astype(np.int64), 0)
    # Households are exchangeable, so sorting the draws within a village numbers them by group.
    order = np.lexsort((group, village))
    return village, group[order]


def _numbers(village: np.ndarray) -> np.ndarray:
    starts = np.r_[0, np.flatnonzero(village[1:] != village[:-1]) + 1] if len(village) else np.zeros(0, int)
    first = np.zeros(len(village), dtype=np.int64)
    first[starts] = starts
    return np.arange(len(village)) - np.maximum.accumulate(first) + 1


def _ranges(sizes: np.ndarray) -> list[tuple[int, int]]:
    ends = np.cumsum(sizes).astype(np.int64)
    return list(zip((ends - sizes.astype(np.int64)).tolist(), ends.tolist()))


def _births(rng: np.random.Generator, age: np.ndarray, p: Parameters) -> np.ndarray:
    """Birth dates giving exactly ``age`` whole years on ``p.as_of``."""
    as_of = np.datetime64(p.as_of, "D")
    month = as_of.astype("datetime64[M]")
    anniversary = (month - 12 * age).astype("datetime64[D]") + (as_of - month.astype("datetime64[D]"))
    return anniversary - rng.integers(0, 365, len(age)).astype("timedelta64[D]")


def _distinct(
    rng: np.random.Generator,
    comp: Composition,
    name: list[str],
    surname: np.ndarray,
    birth_year: np.ndarray,
    ethnicity: np.ndarray,
) -> list[str]:
    """Names drawn again where two members of a household came out the same (parents
    do not give two children one name)."""
    for _ in range(10):
        text = np.array(name)
        order = np.lexsort((text, comp.household))
        same = (comp.household[order][1:] == comp.household[order][:-1]) & (text[order][1:] == text[order][:-1])
        again = order[1:][same]
        if not len(again):
            break
        fresh = names.full_names(rng, surname[again], comp.male[again], birth_year[again], ethnicity[again])
        for i, person in zip(again.tolist(), fresh):
            name[i] = person
    return name


def _surnames(rng: np.random.Generator, comp: Composition, village: np.ndarray, villages: int) -> np.ndarray:
    """Children and sons' children carry the family's surname, those who married in their
    own, and a widow who heads the household hers (her children their father's)."""
    clans, share = names.village_clans(rng, villages)
    family = names.family_surnames(rng, village, clans, share)[comp.household]
    outsider = names.surnames(rng, len(comp.household))
    start = comp.start
    has_spouse = np.zeros(len(comp.size), dtype=bool)
    has_spouse[comp.household[comp.relation == "10"]] = True
    widow_head = ~comp.male[start] & ~has_spouse
    head_surname = np.where(widow_head, outsider[start], family[start])[comp.household]
    result = np.where(np.isin(comp.relation, ("20", "30", "41", "42")), family, outsider)
    return np.where(np.isin(comp.relation, ("02", "51")), head_surname, result)
