"""Tables of causes and plans. The measure catalogue is small shared reference data; the
plans, their measures and progress and the villages' projects grow with the register and
are keyed by county."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import REFERENCE, Base, CountyKeyed, utcnow
from zhucun.core.i18n import _l
from zhucun.core.tx import conflict

MEASURE_STATUSES = ("planned", "doing", "done", "dropped")
PROJECT_CATEGORIES = ("infrastructure", "industry", "culture")
PROJECT_STATUSES = ("planned", "funded", "building", "done", "dropped")


class MeasureKind(Base):
    """A kind of measure a household plan may use (产业帮扶, 就业帮扶…) and the causes of
    poverty it answers; configurable (``zhucun identification plans measure-kind``)."""

    __tablename__ = "plan_measure_kinds"
    __table_args__ = {"info": {"distribution": REFERENCE}}
    __unscoped__ = "reference data, the same for everyone"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    label_zh: Mapped[str] = mapped_column(String(60))
    label_en: Mapped[str] = mapped_column(String(80))
    # Codes of the poverty_cause catalogue, comma-separated ("01,02").
    causes: Mapped[str] = mapped_column(String(80), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class HouseholdPlan(CountyKeyed, Base):
    """A household's plan (一户一策): one per household; its measures carry the work."""

    __tablename__ = "household_plans"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "household_id"], ["households.county_code", "households.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("county_code", "household_id"),
        Index("ix_household_plans_village_code", "village_code"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_id: Mapped[int] = mapped_column(BigInteger)
    # The household's village, kept here so that scope and lists need no join.
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    goal: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class PlanMeasure(CountyKeyed, Base):
    """One measure of a household plan: its kind, target, deadline, status and result."""

    __tablename__ = "plan_measures"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "plan_id"], ["household_plans.county_code", "household_plans.id"], ondelete="CASCADE"
        ),
        CheckConstraint("status IN ('planned', 'doing', 'done', 'dropped')", name="status"),
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount"),
        # A measure done has its result and its date.
        CheckConstraint("status <> 'done' OR (result IS NOT NULL AND completed_on IS NOT NULL)", name="done"),
        Index("ix_plan_measures_plan", "county_code", "plan_id"),
        Index("ix_plan_measures_village_deadline", "village_code", "deadline"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    plan_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    kind: Mapped[str] = mapped_column(ForeignKey("plan_measure_kinds.code"))
    target: Mapped[str] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="planned")
    progress: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str | None] = mapped_column(String(500))
    completed_on: Mapped[date | None] = mapped_column(Date)


class PlanProgress(CountyKeyed, Base):
    """A progress entry on a measure: when, how far, what was done, by whom."""

    __tablename__ = "plan_progress"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "measure_id"], ["plan_measures.county_code", "plan_measures.id"], ondelete="CASCADE"
        ),
        CheckConstraint("percent BETWEEN 0 AND 100", name="percent"),
        Index("ix_plan_progress_measure", "county_code", "measure_id"),
        Index("ix_plan_progress_village_code", "village_code"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    measure_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    entry_date: Mapped[date] = mapped_column(Date)
    percent: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(String(500))
    # No foreign key: accounts are a local table on Citus (see helper_assignments).
    account_id: Mapped[int | None] = mapped_column(Integer)


class VillageProject(CountyKeyed, Base):
    """A project of a village's development plan (infrastructure, industry, culture), with
    its budget and status; the resources capability funds them later."""

    __tablename__ = "village_projects"
    __table_args__ = (
        CheckConstraint("category IN ('infrastructure', 'industry', 'culture')", name="category"),
        CheckConstraint("status IN ('planned', 'funded', 'building', 'done', 'dropped')", name="status"),
        CheckConstraint("budget >= 0", name="budget"),
        UniqueConstraint("county_code", "village_code", "year", "name"),
        Index("ix_village_projects_village_year", "village_code", "year"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    year: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(120))
    budget: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    status: Mapped[str] = mapped_column(String(10), default="planned")
    note: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


conflict("uq_household_plans_county_code_household_id", "household_id", _l("The household already has a plan."))
conflict(
    "uq_village_projects_county_code_village_code_year_name",
    "name",
    _l("The village already has a project of this name in this year."),
)
