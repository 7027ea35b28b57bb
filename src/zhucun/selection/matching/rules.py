"""Pure selection rules over whole columns: who is eligible for which role (each failed rule
named), which cadre may go to which village (avoidance, pairing, distance), and how well
they fit. No database: the loader turns rows into these arrays, the tests build them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .settings import HOMETOWN_LEVELS, SelectionRules

Fault = tuple[str, dict[str, Any]]


@dataclass
class CadreFacts:
    """Eligibility facts of C cadres, one entry per cadre (NaN where unknown)."""

    age: np.ndarray
    work_years: np.ndarray
    party_years: np.ndarray  # whole years since joining the party (入党); NaN when not a member
    health: np.ndarray  # catalogue codes, "" unknown
    posted: np.ndarray  # bool: an open posting now
    discipline: np.ndarray  # bool: under sanction on the day


def eligibility(facts: CadreFacts, rules: SelectionRules) -> tuple[np.ndarray, np.ndarray, list[list[Fault]]]:
    """(may be first secretary, may be member, faults per cadre) evaluated over every cadre at
    once. A fault that only bars the first secretary's post is named too, with ``role``."""
    common = {
        "work_years": (~(facts.work_years >= rules.member_work_years), {"n": rules.member_work_years}),
        "age_unknown": (np.isnan(facts.age), {}),
        "too_young": (facts.age < rules.min_age, {"n": rules.min_age}),
        "too_old": (facts.age > rules.max_age, {"n": rules.max_age}),
        "health": (np.isin(facts.health, list(rules.unfit_health)), {}),
        "already_posted": (facts.posted.astype(bool), {}),
        "discipline": (facts.discipline.astype(bool), {}),
    }
    # Full membership begins when the probation after joining ends: a cadre who joined a year
    # ago has just become a full member, not been one for a year.
    full_member = facts.party_years - rules.probation_years
    fs_only = {
        "full_member_years": (~(full_member >= rules.fs_party_years), {"n": rules.fs_party_years}),
        "work_years": (~(facts.work_years >= rules.fs_work_years), {"n": rules.fs_work_years}),
    }
    member_bad = np.zeros(len(facts.age), dtype=bool)
    for failed, _ in common.values():
        member_bad |= failed
    fs_bad = member_bad.copy()
    for failed, _ in fs_only.values():
        fs_bad |= failed
    faults: list[list[Fault]] = [[] for _ in range(len(facts.age))]
    for code, (failed, params) in common.items():
        for i in np.flatnonzero(failed):
            faults[i].append((code, params))
    for code, (failed, params) in fs_only.items():
        for i in np.flatnonzero(failed & ~member_bad):
            faults[i].append((code, {**params, "role": "first_secretary"}))
    return ~fs_bad, ~member_bad, faults


@dataclass
class Villages:
    code: np.ndarray  # '<U12'
    needs: np.ndarray  # bool (V, K)
    lat: np.ndarray
    lon: np.ndarray
    team_size: np.ndarray  # int: first secretary included
    paired_units: list[frozenset[int]] = field(default_factory=list)


@dataclass
class Cadres:
    id: np.ndarray  # int64
    county: np.ndarray  # '<U6'
    unit: np.ndarray  # int, -1 for none
    skills: np.ndarray  # bool (C, K)
    hometown: np.ndarray  # '<U12', "" unknown
    lat: np.ndarray
    lon: np.ndarray
    previous: np.ndarray  # '<U12': the village of the last posting, "" none
    fs_ok: np.ndarray
    member_ok: np.ndarray
    kin_villages: list[frozenset[str]] = field(default_factory=list)  # close kin live there
    kin_office: list[frozenset[str]] = field(default_factory=list)  # close kin hold office there
    # Per cadre, the quota of their unit for the term (0: none); empty: the setting for all.
    unit_quota: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    # The competency profile's score in [0, 1] per cadre (selection/cadres/profile.py): the
    # unit's assessment of the five inner factors, or the record's reading where none.
    profile: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=float))


def unit_capacity(c: Cadres, units: np.ndarray, default: int) -> np.ndarray:
    """How many cadres each of ``units`` (sorted, as ``np.unique(c.unit)`` gives them) may
    send: its own quota where it has one, else the setting (0: as many as there are)."""
    capacity = np.full(len(units), default or len(c.id), dtype=np.int64)
    if len(c.unit_quota):
        own = c.unit_quota > 0
        capacity[np.searchsorted(units, c.unit[own])] = c.unit_quota[own]
    return capacity


def distance_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance by broadcasting (haversine); NaN where a place is unknown."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2) - np.radians(lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km: np.ndarray = 6371.0 * 2 * np.arcsin(np.sqrt(np.clip(a, 0, 1)))
    return km


def _prefix(codes: np.ndarray, length: int) -> np.ndarray:
    return np.array([c[:length] for c in codes], dtype=f"<U{length}")


def pair_faults(v: Villages, c: Cadres, vi: np.ndarray, ci: np.ndarray, rules: SelectionRules) -> dict[str, np.ndarray]:
    """For a block of villages ``vi`` × cadres ``ci``, each hard pair rule as a bool matrix of
    where it is broken (vectorised: one block is a county's villages by its candidates)."""
    codes, level = v.code[vi], HOMETOWN_LEVELS[rules.hometown_level]
    faults = {"other_county": _prefix(codes, 6)[:, None] != c.county[ci][None, :]}
    home = _prefix(c.hometown[ci], level)
    faults["hometown"] = (_prefix(codes, level)[:, None] == home[None, :]) & (home != "")[None, :]
    position = {code: row for row, code in enumerate(codes)}
    for name, sets in (("kin_in_village", c.kin_villages), ("kin_official", c.kin_office)):
        broken = np.zeros((len(vi), len(ci)), dtype=bool)
        for col, cadre in enumerate(ci):
            rows = [position[code] for code in (sets[cadre] if sets else ()) if code in position]
            broken[rows, col] = True
        faults[name] = broken
    km = distance_km(v.lat[vi][:, None], v.lon[vi][:, None], c.lat[ci][None, :], c.lon[ci][None, :])
    faults["distance"] = np.nan_to_num(km, nan=0.0) > rules.max_distance_km
    if rules.pairing != "none":
        paired = np.zeros((len(vi), len(ci)), dtype=bool)
        units = c.unit[ci]
        for row, village in enumerate(vi):
            for unit in v.paired_units[village] if v.paired_units else ():
                paired[row] |= units == unit
        faults["unit_pairing"] = paired if rules.pairing == "differ" else ~paired
    return faults


def fit(v: Villages, c: Cadres, vi: np.ndarray, ci: np.ndarray, rules: SelectionRules) -> np.ndarray:
    """How well each cadre suits each village: needs met by skills, continuity, distance, and
    the cadre's competency profile (the same for every village: it ranks cadres for a post)."""
    skills = v.needs[vi].astype(np.int32) @ c.skills[ci].T.astype(np.int32)
    same = v.code[vi][:, None] == c.previous[ci][None, :]
    km = np.nan_to_num(distance_km(v.lat[vi][:, None], v.lon[vi][:, None], c.lat[ci][None, :], c.lon[ci][None, :]))
    value: np.ndarray = rules.skill_weight * skills + rules.continuity_weight * same - rules.distance_weight * km
    if len(c.profile):
        value = value + rules.profile_weight * np.nan_to_num(c.profile[ci])[None, :]
    return value


def reasons(v: Villages, c: Cadres, vi: int, ci: int, rules: SelectionRules, needs: tuple[str, ...]) -> dict[str, Any]:
    """Why a match scores what it does, for the reviewer."""
    km = distance_km(v.lat[vi], v.lon[vi], c.lat[ci], c.lon[ci])
    return {
        "skills": [needs[k] for k in np.flatnonzero(v.needs[vi] & c.skills[ci])],
        "continuity": bool(v.code[vi] == c.previous[ci]),
        "distance_km": None if np.isnan(km) else round(float(km), 1),
        **({"profile": round(float(c.profile[ci]), 2)} if len(c.profile) and not np.isnan(c.profile[ci]) else {}),
    }
