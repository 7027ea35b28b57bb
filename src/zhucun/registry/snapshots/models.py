"""Yearly snapshots of a county's register (年度动态调整)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKeyConstraint,
    Integer,
    String,
    exists,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed, utcnow


class RegistrySnapshot(CountyKeyed, Base):
    """年度动态调整: the register of a county frozen as it stood at the end of a year."""

    __tablename__ = "registry_snapshots"

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        """A county's snapshot is seen by anyone whose area lies in that county or covers it."""
        return or_(false(), *(area.county_within(cls.county_code) for area in scope.areas))

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    frozen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_name: Mapped[str] = mapped_column(String(150))
    households: Mapped[int] = mapped_column(Integer)
    members: Mapped[int] = mapped_column(Integer)


class HouseholdSnapshot(CountyKeyed, Base):
    __tablename__ = "household_snapshots"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "year"], ["registry_snapshots.county_code", "registry_snapshots.year"], ondelete="CASCADE"
        ),
    )
    __scope_column__ = "village_code"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    household_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    household_no: Mapped[str] = mapped_column(String(30))
    village_code: Mapped[str] = mapped_column(String(12))
    attribute: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(2))
    member_count: Mapped[int] = mapped_column(Integer)
    main_cause: Mapped[str | None] = mapped_column(String(2))


class MemberSnapshot(CountyKeyed, Base):
    __tablename__ = "member_snapshots"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "year"], ["registry_snapshots.county_code", "registry_snapshots.year"], ondelete="CASCADE"
        ),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    household_id: Mapped[int] = mapped_column(BigInteger)

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        """Seen where the member's household stood in the same snapshot."""
        h = HouseholdSnapshot
        return exists(
            select(h.household_id).where(
                h.county_code == cls.county_code,
                h.year == cls.year,
                h.household_id == cls.household_id,
                scope.clause(h),
            )
        )

    id_hash: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(1))
