"""Selection for a term: the villages marked for a team, the cadres nominated, the matching
run and its proposed assignments (kept until approved into postings)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import REFERENCE, Base, CountyKeyed, utcnow


class SelectionRuleSet(Base):
    """A province's own selection numbers for a year (see ``settings.SelectionRules``)."""

    __tablename__ = "selection_rule_sets"
    __unscoped__ = "a province's rule numbers are reference data, the same for every reader"
    __table_args__ = {"info": {"distribution": REFERENCE}}

    province: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class MarkedVillage(CountyKeyed, Base):
    """A village that gets a first secretary and a work team for the term starting in ``term``."""

    __tablename__ = "selection_villages"
    __table_args__ = (Index("ix_selection_villages_village_code", "village_code"),)
    __scope_column__ = "village_code"

    term: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), primary_key=True)
    needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    team_size: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Nomination(CountyKeyed, Base):
    """A dispatching unit's nomination of its cadre for a term."""

    __tablename__ = "selection_nominations"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "cadre_id"], ["cadres.county_code", "cadres.id"], ondelete="CASCADE"),
        Index("ix_selection_nominations_division_code", "division_code"),
    )
    __scope_column__ = "division_code"
    __scope_unit_column__ = "unit_id"

    term: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cadre_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    # The county the cadre is registered in (12 digits), for the scope.
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MatchRun(CountyKeyed, Base):
    """The latest matching of a county for a term, with the solver's and greedy's figures."""

    __tablename__ = "selection_runs"
    __scope_column__ = "division_code"

    term: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    objective: Mapped[float] = mapped_column(Float)
    bound: Mapped[float] = mapped_column(Float)
    gap: Mapped[float] = mapped_column(Float)
    greedy_objective: Mapped[float] = mapped_column(Float)
    greedy_unfilled: Mapped[int] = mapped_column(Integer)
    method: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="proposed")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    approved_on: Mapped[date | None] = mapped_column(Date)


class Assignment(CountyKeyed, Base):
    """A proposed post: a cadre as first secretary or member of a marked village's team."""

    __tablename__ = "selection_assignments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "term", "village_code"],
            ["selection_villages.county_code", "selection_villages.term", "selection_villages.village_code"],
            ondelete="CASCADE",
        ),
        ForeignKeyConstraint(["county_code", "cadre_id"], ["cadres.county_code", "cadres.id"], ondelete="CASCADE"),
        # One first secretary per team, held by the database: NULL for members.
        UniqueConstraint("county_code", "term", "first_secretary_of", name="uq_selection_assignments_one_fs"),
        Index("ix_selection_assignments_village_code", "village_code"),
    )
    __scope_column__ = "village_code"

    term: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    cadre_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    village_code: Mapped[str] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(20))
    first_secretary_of: Mapped[str | None] = mapped_column(String(12))
    value: Mapped[float] = mapped_column(Float)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    edited: Mapped[bool] = mapped_column(default=False)


class UnitQuota(CountyKeyed, Base):
    """How many of a unit's cadres in the county may be sent in a term; a unit without a row
    has the province's ``unit_quota`` setting."""

    __tablename__ = "selection_unit_quotas"
    __table_args__ = (
        CheckConstraint("quota >= 1", name="quota_positive"),
        Index("ix_selection_unit_quotas_division_code", "division_code"),
    )
    __scope_column__ = "division_code"

    term: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    # The county (12 digits), for the scope.
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    quota: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
