"""Yearly snapshots of a county's register (年度动态调整)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKeyConstraint,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed, utcnow


class RegistrySnapshot(CountyKeyed, Base):
    """年度动态调整: the register of a county frozen as it stood at the end of a year."""

    __tablename__ = "registry_snapshots"

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
    id_hash: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(1))
