"""Reference incomes from a household survey (one row per surveyed household), imported as
files: what the register's targeting is measured against. A row names its village, and
the household by number or by ID number (kept only as the keyed hash); it is matched to
the register at read time, so that a household registered after the survey still counts."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed


class ReferenceIncome(CountyKeyed, Base):
    __tablename__ = "reference_incomes"
    __table_args__ = (
        Index("ix_reference_incomes_village_code", "village_code"),
        Index("ix_reference_incomes_household_no", "county_code", "household_no"),
        Index("ix_reference_incomes_id_hash", "county_code", "id_hash"),
    )
    __scope_column__ = "village_code"

    import_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    row_number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    village_code: Mapped[str] = mapped_column(String(12))
    household_no: Mapped[str | None] = mapped_column(String(30))
    id_hash: Mapped[str | None] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    income_per_head: Mapped[Decimal] = mapped_column(Numeric(14, 2))
