"""The read side of matching: a term's marked villages and nominated cadres of an area turned
into the arrays of ``rules``/``solver`` — a handful of set-based queries, never one per cadre.

Kinship is read through the registry's kinship queries: a cadre who is also a resident
(the same ID hash in the county's roll) has relatives whose homes and offices are avoided,
and two cadres related to each other are kept out of one team. The kinship walk sees the
whole county whatever the caller's area; only the refusal, never the relative, is shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from sqlalchemy import Row, and_, func, select
from sqlalchemy.orm import Session

from zhucun.accounts.units.models import Unit, UnitPairing
from zhucun.core.codes import pad, prefix_of
from zhucun.core.scope import ACROSS_AREAS, Area
from zhucun.divisions.models import Division
from zhucun.registry.kinship.queries import relatives_of
from zhucun.registry.models import Household, Member
from zhucun.registry.officials.models import VillageOfficial
from zhucun.selection.cadres import profiles
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.cadres.profiles import Profile
from zhucun.selection.rules import full_years

from .models import MarkedVillage, Nomination, SelectionRuleSet, UnitQuota
from .rules import CadreFacts, Cadres, Fault, Villages, eligibility
from .settings import NEED_CODES, SelectionRules
from .solver import Instance


@dataclass
class Loaded:
    instance: Instance
    names: dict[int, str]  # cadre id → name
    faults: list[list[Fault]]  # eligibility faults per cadre index
    profiles: dict[int, Profile] = field(default_factory=dict)  # cadre id → competency profile


def rules_for(session: Session, province: str, year: int) -> SelectionRules:
    """The defaults with the province's overrides for the year, if it has any."""
    row = session.get(SelectionRuleSet, (province, year))
    return SelectionRules().merged(row.values) if row else SelectionRules()


def _villages(session: Session, area: str, term: int) -> Villages:
    within = Area.of(area).within(MarkedVillage.village_code)
    rows = session.execute(
        select(MarkedVillage, Division.latitude, Division.longitude)
        .join(Division, Division.code == MarkedVillage.village_code)
        .where(MarkedVillage.term == term, within)
        .order_by(MarkedVillage.village_code)
    ).all()
    codes = np.array([m.village_code for m, _, _ in rows], dtype="<U12")
    return Villages(
        code=codes,
        needs=np.array([[k in (m.needs or []) for k in NEED_CODES] for m, _, _ in rows], dtype=bool).reshape(
            len(rows), len(NEED_CODES)
        ),
        lat=np.array([lat if lat is not None else np.nan for _, lat, _ in rows], dtype=float),
        lon=np.array([lon if lon is not None else np.nan for _, _, lon in rows], dtype=float),
        team_size=np.array([m.team_size for m, _, _ in rows], dtype=np.int64),
        paired_units=_pairings(session, [str(c) for c in codes]),
    )


def _pairings(session: Session, codes: list[str]) -> list[frozenset[int]]:
    """The units paired with each village: a pairing with a county (or a township) holds for
    every village within it, a pairing with a village for that village alone."""
    counties = sorted({c[:6] for c in codes})
    if not counties:
        return []
    rows = session.execute(
        select(UnitPairing.unit_id, UnitPairing.division_code).where(
            func.substr(UnitPairing.division_code, 1, 6).in_(counties)
        )
    ).all()
    within: dict[str, set[int]] = defaultdict(set)  # a division's prefix → its paired units
    for unit_id, division in rows:
        within[prefix_of(division)].add(unit_id)
    # A village's code starts with the prefix of each division above it: 6, 9 and 12 digits.
    return [frozenset().union(*(within.get(c[:n], set()) for n in (6, 9, 12))) for c in codes]


def skill_codes(text: str | None) -> set[str]:
    """A cadre's skills as need codes: codes or labels separated by commas or 、."""
    from .settings import NEED

    parts = (text or "").replace("，", ",").replace("、", ",").split(",")
    return {code for part in parts if (code := NEED.code_for(part))}


def _cadre_rows(session: Session, area: str, term: int) -> Sequence[Row[Cadre, float | None, float | None]]:
    # Cadres are nominated in their county: a village or township area means its county.
    county_area = Area.of(pad(prefix_of(area)[:6]))
    seat = select(Unit.id, Division.latitude, Division.longitude).join(
        Division, Division.code == Unit.division_code, isouter=True
    )
    seat_q = seat.subquery()
    return session.execute(
        select(Cadre, seat_q.c.latitude, seat_q.c.longitude)
        .join(Nomination, and_(Nomination.county_code == Cadre.county_code, Nomination.cadre_id == Cadre.id))
        .join(seat_q, seat_q.c.id == Cadre.unit_id, isouter=True)
        .where(Nomination.term == term, county_area.within(Nomination.division_code))
        .order_by(Cadre.county_code, Cadre.id)
    ).all()


def _postings(session: Session, cadres: list[Cadre]) -> tuple[set[int], dict[int, str]]:
    """Cadres with an open posting, and each cadre's last village."""
    ids = [c.id for c in cadres]
    open_now: set[int] = set()
    last: dict[int, str] = {}
    if not ids:
        return open_now, last
    counties = sorted({c.county_code for c in cadres})
    rows = session.execute(
        select(CadrePosting.cadre_id, CadrePosting.village_code, CadrePosting.end_date)
        .where(CadrePosting.county_code.in_(counties), CadrePosting.cadre_id.in_(ids))
        .order_by(CadrePosting.start_date)
        .execution_options(**ACROSS_AREAS)
    ).all()
    for cadre_id, village, end in rows:
        last[cadre_id] = village
        if end is None:
            open_now.add(cadre_id)
    return open_now, last


def _pair(a: int, b: int) -> tuple[int, int]:
    """A pair of cadre indexes in order, so that each pair is kept once."""
    return (a, b) if a <= b else (b, a)


def _kin(
    session: Session, cadres: list[Cadre], degree: int
) -> tuple[list[set[str]], list[set[str]], set[tuple[int, int]]]:
    """Per cadre the villages where close kin live and hold office; pairs of related cadres."""
    homes: list[set[str]] = [set() for _ in cadres]
    office: list[set[str]] = [set() for _ in cadres]
    pairs: set[tuple[int, int]] = set()
    by_county: dict[str, dict[str, int]] = defaultdict(dict)
    for i, c in enumerate(cadres):
        if c.id_hash:
            by_county[c.county_code][c.id_hash] = i
    for county, hashes in by_county.items():
        residents = dict(
            session.execute(
                select(Member.id_hash, Member.id)
                .where(Member.county_code == county, Member.id_hash.in_(list(hashes)))
                .execution_options(**ACROSS_AREAS)
            ).all()
        )
        member_of = {residents[h]: i for h, i in hashes.items() if h in residents}
        if not member_of:
            continue
        found = relatives_of(session, member_of, degree, county=county)
        kin_ids = set(member_of).union(*(set(k) for k in found.values()))
        village = dict(
            session.execute(
                select(Member.id, Household.village_code)
                .join(Household, and_(Household.county_code == Member.county_code, Household.id == Member.household_id))
                .where(Member.county_code == county, Member.id.in_(kin_ids))
                .execution_options(**ACROSS_AREAS)
            ).all()
        )
        posts: dict[int, set[str]] = defaultdict(set)
        for member_id, code in session.execute(
            select(VillageOfficial.member_id, VillageOfficial.village_code)
            .where(VillageOfficial.county_code == county, VillageOfficial.member_id.in_(kin_ids))
            .where(VillageOfficial.term_end.is_(None))
            .execution_options(**ACROSS_AREAS)
        ):
            posts[member_id].add(code)
        for member, i in member_of.items():
            relatives = set(found.get(member, {}))
            homes[i] |= {village[m] for m in relatives if m in village}
            office[i] |= set().union(*(posts[m] for m in relatives)) if relatives else set()
            pairs |= {_pair(i, member_of[m]) for m in relatives if m in member_of}
    return homes, office, pairs


def load(session: Session, area: str, term: int, *, on: date | None = None) -> Loaded:
    """The matching instance of an area (a county or wider) for a term."""
    on = on or date.today()
    rules = rules_for(session, area[:2], term)
    villages = _villages(session, pad(prefix_of(area)), term)
    rows = _cadre_rows(session, area, term)
    cadres = [row[0] for row in rows]
    open_now, last = _postings(session, cadres)
    fs_ok, member_ok, faults = eligibility(facts_of(cadres, open_now, on), rules)
    homes, office, pairs = _kin(session, cadres, rules.kin_degree)
    profiled = profiles.profile(session, cadres, on=on)
    inst = Instance(
        villages=villages,
        cadres=Cadres(
            id=np.array([c.id for c in cadres], dtype=np.int64),
            county=np.array([c.county_code for c in cadres], dtype="<U6"),
            unit=np.array([c.unit_id if c.unit_id is not None else -1 for c in cadres], dtype=np.int64),
            skills=np.array([[k in skill_codes(c.skills) for k in NEED_CODES] for c in cadres], dtype=bool).reshape(
                len(cadres), len(NEED_CODES)
            ),
            hometown=np.array([c.hometown_code or "" for c in cadres], dtype="<U12"),
            lat=np.array([r[1] if r[1] is not None else np.nan for r in rows], dtype=float),
            lon=np.array([r[2] if r[2] is not None else np.nan for r in rows], dtype=float),
            previous=np.array([last.get(c.id, "") for c in cadres], dtype="<U12"),
            fs_ok=fs_ok,
            member_ok=member_ok,
            kin_villages=[frozenset(h) for h in homes],
            kin_office=[frozenset(o) for o in office],
            unit_quota=_quotas(session, cadres, term),
            profile=np.array([profiled[c.id].score for c in cadres], dtype=float),
        ),
        rules=rules,
        kin_pairs=pairs,
    )
    return Loaded(inst, {c.id: c.name for c in cadres}, faults, profiled)


def _quotas(session: Session, cadres: list[Cadre], term: int) -> np.ndarray:
    """Per cadre the quota their unit has in their county for the term (0: none of its own)."""
    counties = sorted({c.county_code for c in cadres})
    if not counties:
        return np.zeros(0, dtype=np.int64)
    own: dict[tuple[str, int | None], int] = {
        (county, unit): quota
        for county, unit, quota in session.execute(
            select(UnitQuota.county_code, UnitQuota.unit_id, UnitQuota.quota)
            .where(UnitQuota.county_code.in_(counties), UnitQuota.term == term)
            # A quota binds the county's whole proposal, whichever part of it the reader sees.
            .execution_options(**ACROSS_AREAS)
        )
    }
    return np.array([own.get((c.county_code, c.unit_id), 0) for c in cadres], dtype=np.int64)


def _years(days: list[date | None], on: date) -> np.ndarray:
    values = [full_years(d, on) for d in days]
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def facts_of(cadres: list[Cadre], open_now: set[int], on: date) -> CadreFacts:
    """The eligibility facts of any list of cadres, as columns (``open_now``: ids posted now)."""
    return CadreFacts(
        age=_years([c.birth_date for c in cadres], on),
        work_years=_years([c.work_started for c in cadres], on),
        party_years=_years([c.party_joined if c.party_member else None for c in cadres], on),
        health=np.array([c.health or "" for c in cadres], dtype="<U2"),
        posted=np.array([c.id in open_now for c in cadres], dtype=bool),
        discipline=np.array([bool(c.discipline_until and c.discipline_until >= on) for c in cadres], dtype=bool),
    )


def judge(
    session: Session, cadres: list[Cadre], rules: SelectionRules, *, on: date | None = None
) -> tuple[np.ndarray, np.ndarray, list[list[Fault]]]:
    """Eligibility of any list of cadres at once, nominated or not (the nominations page):
    one query for their postings, then the same vectorised rules as the matching."""
    open_now, _last = _postings(session, cadres)
    return eligibility(facts_of(cadres, open_now, on or date.today()), rules)
