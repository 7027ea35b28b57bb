"""优亲厚友: how far the village officials' relatives take more than their share of the
assistance. Set-based over a whole area: the officials' relatives are reached in SQL, one
join per degree (a step is a declared relation or living in one household, as the kinship
module counts them), and the shares come from a few GROUP BY queries; the scores are
computed in numpy (``rules.favouritism_scores``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Select, and_, case, func, literal, or_, select, text, union
from sqlalchemy.orm import Session, aliased

from zhucun.core.bulk import on_citus
from zhucun.core.scope import Area, across_areas, scope_of
from zhucun.registry.kinship.models import KinRelation
from zhucun.registry.models import Household, HouseholdBenefit, Member
from zhucun.registry.officials.models import VillageOfficial

from . import rules

# What counts as assisted: the monitored and returned statuses, and the 低保/特困 attributes.
ASSISTED_STATUSES = ("13", "21", "22", "23")
ASSISTED_ATTRIBUTES = ("2", "3")
# Years of officials' terms and benefits looked at: the default of
# ``Settings.kin_official_years``, which the case-level check shares.
YEARS = 3


@dataclass
class VillageScore:
    village_code: str
    score: float
    households: int
    relatives_households: int
    assisted: int
    assisted_relatives: int
    benefit_amount: float
    relatives_benefit_amount: float
    households_share: float
    assisted_share: float
    benefit_share: float

    def as_json(self) -> dict[str, Any]:
        return {k: (round(v, 6) if isinstance(v, float) else v) for k, v in self.__dict__.items()}


def _assisted() -> Any:
    return case((Household.status.in_(ASSISTED_STATUSES) | Household.attribute.in_(ASSISTED_ATTRIBUTES), 1), else_=0)


def related_households(area: Area, degree: int, since: date, *, joined: bool = False) -> Any:
    """(village, county, household) of every household of the village where an official
    serving at any time since ``since`` (the years the benefits cover), or a relative of
    one to ``degree`` steps, is on the roll.

    The walk goes one degree at a time over the whole area, each reached person carrying
    their household, status and village, so that no step looks a person up twice. The
    last degree is not walked through households: a housemate reached at the last step
    lives in a household already reached, which counts when someone of it is on the
    village's roll — this spares the largest join of the walk. ``joined``: find housemates
    on the roll by a join rather than a correlated EXISTS, which Citus refuses beside CTEs."""
    reached = _officials(area, since).cte("reached0")
    if degree == 0:
        return select(reached.c.village, reached.c.county, reached.c.household).where(_on_roll(reached)).distinct()
    for level in range(1, degree):
        reached = _step(reached, area).cte(f"reached{level}")
    homes = _homes_joined(reached, area) if joined else _homes_on_roll(reached, area)
    return union(homes, *_kin(reached, area, on_roll=True))


def _person(reached: Any, person: Any) -> tuple[Any, ...]:
    """The columns of a reached person: for which village, who, and where they live."""
    return (
        reached.c.village,
        person.county_code.label("county"),
        person.id.label("member"),
        person.household_id.label("household"),
        person.status.label("status"),
        person.village_code.label("residence"),
    )


def _on_roll(reached: Any) -> Any:
    return and_(reached.c.status == "1", reached.c.residence == reached.c.village)


def _officials(area: Area, since: date) -> Select[Any]:
    officials = select(
        VillageOfficial.village_code.label("village"), VillageOfficial.county_code, VillageOfficial.member_id
    ).where(
        officials_serving_since(since),
        area.within(VillageOfficial.village_code),
        area.county_within(VillageOfficial.county_code),
    )
    official = officials.subquery()
    person = aliased(Member)
    return select(*_person(official, person)).join(
        person, and_(person.county_code == official.c.county_code, person.id == official.c.member_id)
    )


def _step(reached: Any, area: Area) -> Any:
    """The reached people and everyone one step further: their housemates on a roll, their
    declared kin (kinship is declared within a county, so every read names the county)."""
    mate = aliased(Member)
    home = (
        select(*_person(reached, mate))
        .join(mate, and_(mate.county_code == reached.c.county, mate.household_id == reached.c.household))
        .where(mate.status == "1", area.county_within(mate.county_code))
    )
    return union(select(reached), home, *_kin(reached, area, on_roll=False))


def _kin(reached: Any, area: Area, *, on_roll: bool) -> list[Any]:
    """The reached people's declared kin, both ways round (as people, or as the households
    of those on the village's roll)."""
    out = []
    for near, far in ((KinRelation.member_a, KinRelation.member_b), (KinRelation.member_b, KinRelation.member_a)):
        person = aliased(Member)
        columns = (reached.c.village, person.county_code, person.household_id) if on_roll else _person(reached, person)
        statement = (
            select(*columns)
            .join(KinRelation, and_(KinRelation.county_code == reached.c.county, near == reached.c.member))
            .join(person, and_(person.county_code == KinRelation.county_code, person.id == far))
            .where(area.county_within(KinRelation.county_code))
        )
        if on_roll:
            statement = statement.where(person.status == "1", person.village_code == reached.c.village)
        out.append(statement)
    return out


def _homes_on_roll(reached: Any, area: Area) -> Select[Any]:
    """The reached people's households with someone on the village's roll: the reached
    person, or a housemate (one step away). The person is tried first, so the housemates
    are read only for households where the reached person is not on that roll."""
    mate = aliased(Member)
    housemate = (
        select(mate.id)
        .where(
            mate.county_code == reached.c.county,
            mate.household_id == reached.c.household,
            mate.status == "1",
            mate.village_code == reached.c.village,
            area.county_within(mate.county_code),
        )
        .exists()
    )
    return select(reached.c.village, reached.c.county, reached.c.household).where(or_(_on_roll(reached), housemate))


def _homes_joined(reached: Any, area: Area) -> Select[Any]:
    """The same households by a join to everyone of them on the village's roll (the reached
    person is one of their household's members, so the join finds them too); the union
    around it drops the repeats."""
    mate = aliased(Member)
    return (
        select(reached.c.village, mate.county_code.label("county"), mate.household_id.label("household"))
        .join(mate, and_(mate.county_code == reached.c.county, mate.household_id == reached.c.household))
        .where(mate.status == "1", mate.village_code == reached.c.village, area.county_within(mate.county_code))
    )


def _village_totals(session: Session, area: Area) -> dict[str, tuple[int, int]]:
    rows = session.execute(
        select(Household.village_code, func.count(), func.sum(_assisted()))
        .where(area.within(Household.village_code), area.county_within(Household.county_code))
        .group_by(Household.village_code)
    )
    return {code: (int(n), int(a or 0)) for code, n, a in rows}


def _benefit_totals(session: Session, area: Area) -> dict[str, float]:
    rows = session.execute(
        select(HouseholdBenefit.village_code, func.sum(HouseholdBenefit.amount))
        .where(area.within(HouseholdBenefit.village_code), area.county_within(HouseholdBenefit.county_code))
        .group_by(HouseholdBenefit.village_code)
    )
    return {code: float(amount or 0) for code, amount in rows}


def _benefits_per_household(area: Area) -> Any:
    return (
        select(
            HouseholdBenefit.county_code,
            HouseholdBenefit.household_id,
            func.sum(HouseholdBenefit.amount).label("amount"),
        )
        .where(area.within(HouseholdBenefit.village_code), area.county_within(HouseholdBenefit.county_code))
        .group_by(HouseholdBenefit.county_code, HouseholdBenefit.household_id)
        .subquery()
    )


def within_scope(session: Session, area: Area) -> None:
    """The walk over kinship runs as one statement with explicit area ranges (the scope's
    per-entity criteria cannot follow aliases into its CTEs), so the area itself must lie
    inside the reader's scope: 404 otherwise, as for any row outside it."""
    scope = scope_of(session)
    if scope is not None and not scope.is_everywhere:
        scope.require(area.prefix or None)


def _related_totals(session: Session, area: Area, degree: int, since: date) -> dict[str, tuple[int, int, float]]:
    """Per village: the relatives' households, how many are assisted, and what they were
    paid — each relative's benefits summed through the benefits' household index. An
    outer join to the benefits aggregated per household instead, whose size the planner
    cannot guess after the walk over kinship, ran as a nested loop re-aggregating per row
    (140 s for 40,000 households on PostgreSQL instead of 5)."""
    related = related_households(area, degree, since, joined=on_citus(session)).subquery()
    statement = select(related.c.village, func.count(), func.sum(_assisted()))
    if on_citus(session):
        # Citus refuses a correlated subquery beside the walk's CTEs; the outer join on
        # (county, household) to the benefits summed per household runs on each county's shard.
        per_household = _benefits_per_household(area)
        statement = statement.add_columns(func.sum(func.coalesce(per_household.c.amount, 0))).outerjoin(
            per_household,
            and_(per_household.c.county_code == related.c.county, per_household.c.household_id == related.c.household),
        )
    else:
        paid = (
            select(func.coalesce(func.sum(HouseholdBenefit.amount), 0))
            .where(
                HouseholdBenefit.county_code == related.c.county, HouseholdBenefit.household_id == related.c.household
            )
            .where(area.county_within(HouseholdBenefit.county_code))
            .scalar_subquery()
        )
        statement = statement.add_columns(func.sum(paid))
    statement = (
        statement.join(Household, and_(Household.county_code == related.c.county, Household.id == related.c.household))
        .where(area.within(Household.village_code), area.county_within(Household.county_code))
        .group_by(related.c.village)
    )
    with _walk_by_key(session):
        rows = session.execute(across_areas(statement)).all()
    return {code: (int(n), int(a or 0), float(b or 0)) for code, n, a, b in rows}


@contextmanager
def _walk_by_key(session: Session) -> Iterator[None]:
    """Planner settings for the walk's statement on PostgreSQL, which cannot size its
    CTEs. Every join of the walk looks people up by key from the people reached, so
    nested loops over the (county, …) indexes keep its cost proportional to them; a hash
    or merge join read the whole roll instead (members twice over: at 90,000 households
    as fast, at the national register's ten million members two full scans). The
    misestimates also cross ``jit_above_cost`` at any size, and compiling the statement's
    ~200 expressions took longer than it saved (0.3 s of 1.3 s at 90,000 households).
    Set for this statement only."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    for setting in ("jit", "enable_hashjoin", "enable_mergejoin"):
        session.execute(text(f"SET LOCAL {setting} = off"))
    yield
    # Not in a finally: after a failed statement the transaction is aborted and rolled back,
    # which undoes the SET LOCAL too.
    for setting in ("jit", "enable_hashjoin", "enable_mergejoin"):
        session.execute(text(f"RESET {setting}"))


def since_default(today: date, years: int = YEARS) -> date:
    """The start of the period looked at: officials' terms and benefits of the last
    ``years`` years, the current one included (``Settings.kin_official_years``)."""
    return date(today.year - years + 1, 1, 1)


def officials_serving_since(since: date) -> Any:
    """Officials counted: in office now, or whose term ended on or after ``since`` — one
    window for the report and for the case-level check, so that they never disagree."""
    return or_(VillageOfficial.term_end.is_(None), VillageOfficial.term_end >= since)


def _column(values: list[float]) -> np.ndarray:
    return np.array(values, dtype=float)


def report(session: Session, area: Area, degree: int, since: date) -> list[VillageScore]:
    """Every village of the area with officials, ranked by how far their relatives' share of
    assisted households and of benefit amounts exceeds their share of households."""
    within_scope(session, area)
    totals = _village_totals(session, area)
    benefits = _benefit_totals(session, area)
    related = _related_totals(session, area, degree, since)
    codes = sorted(related)
    if not codes:
        return []
    households = _column([totals.get(c, (0, 0))[0] for c in codes])
    assisted = _column([totals.get(c, (0, 0))[1] for c in codes])
    amount = _column([benefits.get(c, 0.0) for c in codes])
    rel = _column([related[c][0] for c in codes])
    rel_assisted = _column([related[c][1] for c in codes])
    rel_amount = _column([related[c][2] for c in codes])
    scores = rules.favouritism_scores(households, rel, assisted, rel_assisted, amount, rel_amount)
    out = [
        VillageScore(
            village_code=code,
            score=float(scores.score[i]),
            households=int(households[i]),
            relatives_households=int(rel[i]),
            assisted=int(assisted[i]),
            assisted_relatives=int(rel_assisted[i]),
            benefit_amount=float(amount[i]),
            relatives_benefit_amount=float(rel_amount[i]),
            households_share=float(scores.households_share[i]),
            assisted_share=float(scores.assisted_share[i]),
            benefit_share=float(scores.benefit_share[i]),
        )
        for i, code in enumerate(codes)
    ]
    return sorted(out, key=lambda v: (-v.score, v.village_code))


def households_behind(session: Session, village_code: str, degree: int, since: date) -> list[dict[str, Any]]:
    """The officials' and their relatives' households of one village, assisted ones first."""
    area = Area.of(village_code)
    within_scope(session, area)
    related = related_households(area, degree, since, joined=on_citus(session)).subquery()
    paid = _benefits_per_household(area)
    statement = (
        select(
            Household.id,
            Household.head_name,
            Household.status,
            Household.attribute,
            _assisted().label("assisted"),
            func.coalesce(paid.c.amount, literal(0)).label("amount"),
        )
        .join(related, and_(Household.county_code == related.c.county, Household.id == related.c.household))
        .outerjoin(paid, and_(paid.c.county_code == Household.county_code, paid.c.household_id == Household.id))
        .where(area.within(Household.village_code), area.county_within(Household.county_code))
        .order_by(_assisted().desc(), func.coalesce(paid.c.amount, literal(0)).desc(), Household.id)
    )
    rows = session.execute(across_areas(statement))
    return [dict(r._mapping) | {"amount": float(r.amount)} for r in rows]
