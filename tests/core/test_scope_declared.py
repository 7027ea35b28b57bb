"""Every model says how it is scoped, and the tables once filtered by hand are scoped like
the rest: a query through a scoped session sees only its area's rows, and a county-keyed
table is also filtered by county (the Citus routing predicate)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from zhucun.core.db import Base
from zhucun.core.imports.models import ImportBatch, ImportProblem
from zhucun.core.scope import Area, Scope, bind, is_county_keyed, without_county_routing
from zhucun.models import metadata
from zhucun.registry.duplicates.models import DuplicateReview
from zhucun.registry.kinship.models import KinRelation
from zhucun.registry.models import Household, HouseholdBenefit, HouseholdIncome
from zhucun.registry.snapshots.models import HouseholdSnapshot, MemberSnapshot, RegistrySnapshot


def _declaration(model: type) -> str | None:
    if getattr(model, "__scope_column__", None):
        return "column"
    if hasattr(model, "__scope_clause__"):
        return "clause"
    reason = getattr(model, "__unscoped__", None)
    return "unscoped" if isinstance(reason, str) and reason.strip() else None


def test_every_model_declares_its_scope():
    assert metadata.tables  # the manifests' models are loaded
    missing = [m.class_.__name__ for m in Base.registry.mappers if _declaration(m.class_) is None]
    assert missing == [], f"declare __scope_column__, __scope_clause__ or __unscoped__ = 'why' on {missing}"


def test_tables_of_an_area_are_never_unscoped():
    """A table with a division or village column, or keyed by county, holds an area's rows."""
    wrongly = [
        m.class_.__name__
        for m in Base.registry.mappers
        if _declaration(m.class_) == "unscoped"
        and (is_county_keyed(m.class_) or {"village_code", "division_code"} & set(m.columns.keys()))
        and m.class_.__tablename__ not in {"unit_pairings", "role_grants"}
    ]
    assert wrongly == []


HAND_FILTERED = [
    HouseholdIncome,
    HouseholdBenefit,
    KinRelation,
    DuplicateReview,
    RegistrySnapshot,
    HouseholdSnapshot,
    MemberSnapshot,
    ImportProblem,
]


def _count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def _area_rows(session, area) -> None:
    """An income, a benefit, a reviewed duplicate and a refused import in the area's village
    (the test world has kin relations and snapshots of its own)."""
    county = area.county[:6]
    key = {"county_code": county, "household_id": area.household_id}
    session.execute(insert(HouseholdIncome).values(**key, year=2025, wage=1000))
    benefit = {**key, "id": area.household_id, "village_code": area.village, "year": 2025, "program": "01"}
    session.execute(insert(HouseholdBenefit).values(**benefit, amount=500))
    review = {"county_code": county, "member_id": area.member_id, "id_hash": "x" * 64, "reason": "核实"}
    session.execute(insert(DuplicateReview).values(**review, actor_name="test"))
    batch = session.scalar(
        insert(ImportBatch)
        .values(kind="members", status="rejected", filename="a.csv", sha256=county.ljust(64, "0"), size=1)
        .values(division_code=area.village, actor_name="test")
        .returning(ImportBatch.id)
    )
    session.execute(insert(ImportProblem).values(import_id=batch, seq=1, code="x", message_zh="错", message_en="bad"))


@pytest.fixture
def area_rows(session, world) -> None:
    for area in (world.a, world.b):
        _area_rows(session, area)


@pytest.mark.parametrize("model", HAND_FILTERED, ids=lambda m: m.__tablename__)
def test_a_scoped_session_sees_only_its_area(session, world, area_rows, model):
    everywhere = _count(session, model)
    for area, other in ((world.a, world.b), (world.b, world.a)):
        bind(session, Scope.of([Area.of(area.county)]))
        mine = _count(session, model)
        bind(session, Scope.of([Area.of(other.county)]))
        theirs = _count(session, model)
        bind(session, Scope.everywhere())
        if model is not ImportProblem:  # the test world imports nothing
            assert mine > 0, f"{model.__tablename__}: nothing seen in {area.county}"
        assert mine + theirs <= everywhere


@pytest.mark.parametrize("model", HAND_FILTERED, ids=lambda m: m.__tablename__)
def test_a_township_does_not_see_the_rest_of_its_county(session, world, area_rows, model):
    bind(session, Scope.of([Area.of(world.b.township)]))
    in_township = _count(session, model)
    bind(session, Scope.of([Area.of("522798102000")]))  # a township of B with no registrations
    elsewhere = _count(session, model)
    bind(session, Scope.everywhere())
    assert in_township > 0
    assert elsewhere == (1 if model is RegistrySnapshot else 0)  # the county's snapshot: seen county-wide


def _sql(session, statement) -> str:
    return str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))


def test_the_county_predicate_names_one_county_or_several(session, world):
    one = Scope.of([Area.of(world.a.township)])
    assert "county_code = '522799'" in _sql(session, select(Household.id).where(one.clause(Household)))
    two = Scope.of([Area.of(world.a.village), Area.of(world.b.county)])
    assert "county_code IN ('522798', '522799')" in _sql(session, select(Household.id).where(two.clause(Household)))
    assert "county_code" not in _sql(session, select(Household.id).where(Scope.everywhere().clause(Household)))


def test_a_prefecture_is_resolved_to_its_counties_once(session, world):
    prefecture = Scope.of([Area.of("522700000000")]).resolve(session)
    counties = prefecture.counties()
    assert counties is not None and {"522798", "522799"} <= set(counties)
    assert all(code.startswith("5227") for code in counties)
    sql = _sql(session, select(Household.id).where(prefecture.clause(Household)))
    assert "county_code IN (" in sql and "'522799'" in sql
    assert Scope.of([Area.of("522700000000")]).counties() is None  # unresolved: no predicate, still correct


def test_the_baseline_switch_leaves_the_predicate_out(session, world):
    one = Scope.of([Area.of(world.a.county)])
    with without_county_routing():
        assert "county_code" not in _sql(session, select(Household.id).where(one.clause(Household)))
    assert "county_code = " in _sql(session, select(Household.id).where(one.clause(Household)))
