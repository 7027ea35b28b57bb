"""Households, their members, incomes and benefits, and the history of every change.

Tables that grow with the registry are keyed by (county_code, id) and refer to each other
through (county_code, …) so that a county's rows live together on one Citus node. Personal
numbers are never stored in clear: ``*_cipher`` holds AES-GCM ciphertext, ``*_hash`` a keyed
hash for exact lookup, and ``*_masked`` what may be shown to anyone allowed to see the row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    exists,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, CountyKeyed, utcnow
from ..core.i18n import _l
from ..core.tx import conflict
from .catalogues import CatalogueItem  # noqa: F401  (the table belongs to the registry's metadata)
from .rules import HEAD_RELATIONS

Money = Numeric(14, 2)


# The index below holds one head (GB/T 4761: 本人, 户主) on a household's roll (status 1, 在册).
HEAD_CONDITION = "relation IN ({}) AND status = '1'".format(", ".join(f"'{code}'" for code in HEAD_RELATIONS))


class Person:
    """Columns every registered person has."""

    name: Mapped[str] = mapped_column(String(50))
    id_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_hash: Mapped[str | None] = mapped_column(String(64))
    id_masked: Mapped[str | None] = mapped_column(String(18))
    gender: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(2))
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_masked: Mapped[str | None] = mapped_column(String(20))


class Household(CountyKeyed, Base):
    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("county_code", "household_no"),
        Index("ix_households_village_code_id", "village_code", "id"),
        Index("ix_households_id", "id"),
        Index("ix_households_household_no", "household_no"),
        Index("ix_households_head_name", "head_name", postgresql_ops={"head_name": "text_pattern_ops"}),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_no: Mapped[str] = mapped_column(String(30))
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    group_number: Mapped[int | None] = mapped_column(Integer)
    head_name: Mapped[str | None] = mapped_column(String(50))
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    address: Mapped[str | None] = mapped_column(String(200))
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    bank_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    bank_masked: Mapped[str | None] = mapped_column(String(30))
    attribute: Mapped[str] = mapped_column(String(1), default="1")
    status: Mapped[str] = mapped_column(String(2), default="00")
    main_cause: Mapped[str | None] = mapped_column(String(2))
    other_causes: Mapped[str | None] = mapped_column(String(40))
    registered_year: Mapped[int | None] = mapped_column(Integer)
    exited_year: Mapped[int | None] = mapped_column(Integer)
    housing_safe: Mapped[bool | None] = mapped_column(Boolean)
    water_safe: Mapped[bool | None] = mapped_column(Boolean)
    cultivated_land_mu: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    forest_land_mu: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    productive_assets: Mapped[Decimal | None] = mapped_column(Money)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


# Columns that say which row it is and when and how it was written, not what the register holds.
KEY_COLUMNS = ("county_code", "id")
BOOKKEEPING_COLUMNS = ("import_id", "created_at", "updated_at")


def household_columns(*, without: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The household table's columns in their order, read from the table itself: the one list
    that a change's history and an import's COPY each take, minus their own exclusions."""
    return tuple(c.name for c in Household.__table__.columns if c.name not in without)


def of_scoped_household(model: Any, scope: Any) -> Any:
    """A row of a household's table is in the scope when its household is (same county, id)."""
    visible = select(Household.id).where(
        Household.county_code == model.county_code, Household.id == model.household_id, scope.clause(Household)
    )
    return exists(visible)


class HouseholdIncome(CountyKeyed, Base):
    """A household's income by source in one year (yuan)."""

    __tablename__ = "household_incomes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "household_id"], ["households.county_code", "households.id"], ondelete="CASCADE"
        ),
    )

    household_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        """Seen where its household is: through the household's key (county, id)."""
        return of_scoped_household(cls, scope)

    wage: Mapped[Decimal] = mapped_column(Money, default=0)
    production: Mapped[Decimal] = mapped_column(Money, default=0)
    property: Mapped[Decimal] = mapped_column(Money, default=0)
    transfer: Mapped[Decimal] = mapped_column(Money, default=0)
    production_costs: Mapped[Decimal] = mapped_column(Money, default=0)
    # Spending the household cannot avoid (medical, education, disaster, accident): a
    # return-to-poverty signal when it takes too large a share of income.
    unavoidable_spending: Mapped[Decimal] = mapped_column(Money, default=0)


class HouseholdBenefit(CountyKeyed, Base):
    """Relief a household received (享受政策): what, when, how much, decided by whom."""

    __tablename__ = "household_benefits"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "household_id"], ["households.county_code", "households.id"], ondelete="CASCADE"
        ),
        Index("ix_household_benefits_household", "county_code", "household_id"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    year: Mapped[int] = mapped_column(Integer)
    program: Mapped[str] = mapped_column(String(2))
    amount: Mapped[Decimal] = mapped_column(Money)
    granted_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))


class Member(CountyKeyed, Person, Base):
    """A member of a household; one person is in one household only."""

    __tablename__ = "members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "household_id"], ["households.county_code", "households.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("county_code", "id_hash"),
        Index("ix_members_village_code_id", "village_code", "id"),
        Index("ix_members_id", "id"),
        Index("ix_members_household", "county_code", "household_id"),
        # Covering: a person's household, village and status by (county, id) from the index
        # alone, as the favouritism report's walk over kinship reads them (migration 0021).
        # INCLUDE, not key columns: SQLite would take a five-column covering index for a
        # household's members too, matching the county alone (a scan of the county).
        Index(
            "ix_members_person",
            "county_code",
            "id",
            postgresql_include=["household_id", "village_code", "status"],
        ),
        # text_pattern_ops lets LIKE 'prefix%' use the index whatever the database's collation.
        Index("ix_members_name", "name", postgresql_ops={"name": "text_pattern_ops"}),
        Index("ix_members_id_hash", "id_hash"),
        # One head (本人 or 户主) on a household's roll: the database holds the rule too, so
        # that two requests that both found no head cannot both add one.
        Index(
            "ix_members_one_head",
            "county_code",
            "household_id",
            unique=True,
            postgresql_where=text(HEAD_CONDITION),
            sqlite_where=text(HEAD_CONDITION),
        ),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    relation: Mapped[str] = mapped_column(String(2))
    education: Mapped[str | None] = mapped_column(String(1))
    student: Mapped[str | None] = mapped_column(String(1))
    health: Mapped[str | None] = mapped_column(String(1))
    disability: Mapped[str | None] = mapped_column(String(1))
    disability_grade: Mapped[str | None] = mapped_column(String(1))
    labour: Mapped[str | None] = mapped_column(String(1))
    migrant_months: Mapped[int | None] = mapped_column(Integer)
    medical_insurance: Mapped[bool | None] = mapped_column(Boolean)
    pension_insurance: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(1), default="1")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class RegistryChange(CountyKeyed, Base):
    """The history of a household and its members: every change with who, when, before,
    after and why (rows created by an import point to their batch instead)."""

    __tablename__ = "registry_changes"
    __table_args__ = (Index("ix_registry_changes_household", "county_code", "household_id", "id"),)
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_id: Mapped[int | None] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(150))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text)


# What a unique constraint of the registry means to the person whose change met it in a race.
conflict(
    "uq_households_county_code_household_no",
    "household_no",
    _l("This household number is already registered in the county."),
)
conflict("uq_members_county_code_id_hash", "id_number", _l("This person is already registered in the county."))
conflict("ix_members_one_head", "relation", _l("A household has exactly one head (relation 户主)."))
conflict("pk_household_incomes", "year", _l("The income of this year was recorded at the same moment; reload it."))
