"""Work funds and their spending, accident insurance policies and yearly health checks of
the cadres posted to villages: keyed by county like the cadres they belong to, and seen
where the cadre is seen (a dispatching unit: its own cadres only)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
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
    UniqueConstraint,
    exists,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import REFERENCE, Base, CountyKeyed, utcnow
from zhucun.core.i18n import _l
from zhucun.core.tx import conflict
from zhucun.selection.cadres.models import Cadre

MONEY = Numeric(12, 2)
SECRETARY, TEAM = "secretary", "team"


class GuaranteeRuleSet(Base):
    """A province's own guarantee amounts for a year (see ``settings.GuaranteeRules``)."""

    __tablename__ = "guarantee_rule_sets"
    __unscoped__ = "a province's amounts are reference data, the same for every reader"
    __table_args__ = {"info": {"distribution": REFERENCE}}

    province: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


def _cadre_in_scope(cls: Any, scope: Any) -> Any:
    """Seen where the cadre is seen: their area, and for a unit's account their unit."""
    return exists(
        select(Cadre.id).where(Cadre.county_code == cls.county_code, Cadre.id == cls.cadre_id, scope.clause(Cadre))
    )


def _cadre_key(table: str) -> ForeignKeyConstraint:
    return ForeignKeyConstraint(["county_code", "cadre_id"], ["cadres.county_code", "cadres.id"], ondelete="CASCADE")


class WorkFund(CountyKeyed, Base):
    """A year's work fund: a first secretary's own, or the team's of a village (held by its
    first secretary, who answers for the spending)."""

    __tablename__ = "guarantee_funds"
    __table_args__ = (
        _cadre_key("guarantee_funds"),
        CheckConstraint("kind IN ('secretary', 'team')", name="kind"),
        CheckConstraint("amount >= 0", name="amount"),
        # Never spent beyond the fund, whatever the path of the write.
        CheckConstraint("spent >= 0 AND spent <= amount", name="within"),
        Index("ix_guarantee_funds_id", "id"),
        Index("ix_guarantee_funds_cadre", "county_code", "cadre_id"),
        # One fund per first secretary and year, one per team (village) and year.
        Index(
            "ix_guarantee_funds_one_secretary",
            "county_code",
            "year",
            "cadre_id",
            unique=True,
            postgresql_where=text("kind = 'secretary'"),
            sqlite_where=text("kind = 'secretary'"),
        ),
        Index(
            "ix_guarantee_funds_one_team",
            "county_code",
            "year",
            "village_code",
            unique=True,
            postgresql_where=text("kind = 'team'"),
            sqlite_where=text("kind = 'team'"),
        ),
    )

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        return _cadre_in_scope(cls, scope)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(Integer)
    cadre_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    # The sum of the spending entries, kept with the fund so that the overspending check
    # reads one locked row.
    spent: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class FundSpending(CountyKeyed, Base):
    """One spending of a work fund, with its receipt note."""

    __tablename__ = "guarantee_spendings"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "fund_id"], ["guarantee_funds.county_code", "guarantee_funds.id"], ondelete="CASCADE"
        ),
        _cadre_key("guarantee_spendings"),
        CheckConstraint("amount > 0", name="amount"),
        Index("ix_guarantee_spendings_id", "id"),
        Index("ix_guarantee_spendings_fund", "county_code", "fund_id"),
    )

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        return _cadre_in_scope(cls, scope)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    fund_id: Mapped[int] = mapped_column(BigInteger)
    # The fund's holder, kept here so that the scope needs no second join.
    cadre_id: Mapped[int] = mapped_column(BigInteger)
    spent_on: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    purpose: Mapped[str] = mapped_column(String(200))
    receipt: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class InsurancePolicy(CountyKeyed, Base):
    """A cadre's accident insurance policy."""

    __tablename__ = "guarantee_policies"
    __table_args__ = (
        _cadre_key("guarantee_policies"),
        UniqueConstraint("county_code", "insurer", "number"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
        CheckConstraint("sum_insured > 0", name="sum_insured"),
        Index("ix_guarantee_policies_id", "id"),
        Index("ix_guarantee_policies_cadre", "county_code", "cadre_id"),
        Index("ix_guarantee_policies_ends_on", "county_code", "ends_on"),
    )

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        return _cadre_in_scope(cls, scope)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    cadre_id: Mapped[int] = mapped_column(BigInteger)
    insurer: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(60))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    sum_insured: Mapped[Decimal] = mapped_column(MONEY)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class HealthCheck(CountyKeyed, Base):
    """A cadre's yearly health check. ``result`` is private: shown only to whoever holds
    ``incentive:health:reveal`` (the cadre's managers), never listed, exported or audited."""

    __tablename__ = "guarantee_health_checks"
    __table_args__ = (
        _cadre_key("guarantee_health_checks"),
        UniqueConstraint("county_code", "cadre_id", "year"),
        CheckConstraint("NOT done OR checked_on IS NOT NULL", name="done_dated"),
        Index("ix_guarantee_health_checks_id", "id"),
    )

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        return _cadre_in_scope(cls, scope)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    cadre_id: Mapped[int] = mapped_column(BigInteger)
    year: Mapped[int] = mapped_column(Integer)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    checked_on: Mapped[date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(500))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


conflict(
    "ix_guarantee_funds_one_secretary", "cadre_id", _l("The first secretary already has a work fund for this year.")
)
conflict("ix_guarantee_funds_one_team", "village_code", _l("The village's team already has a work fund for this year."))
conflict(
    "uq_guarantee_policies_county_code_insurer_number",
    "number",
    _l("This insurer's policy number is already recorded."),
)
conflict(
    "uq_guarantee_health_checks_county_code_cadre_id_year",
    "year",
    _l("The cadre's health check for this year is already recorded; change it instead."),
)
