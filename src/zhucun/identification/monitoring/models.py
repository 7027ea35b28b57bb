"""Alerts from other departments' lists (hospital costs, civil affairs, disaster victims,
unemployment, education, disabled persons' federation), each row matched to a household
by the ID keyed hash when it was imported; the ID number itself is never stored."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed, utcnow


class DepartmentAlert(CountyKeyed, Base):
    """One row of a department's list. ``division_code`` is the matched household's village,
    or the division the row named while the person is not found in the register, so that
    only readers of that division see an unmatched row."""

    __tablename__ = "department_alerts"
    __table_args__ = (
        Index("ix_department_alerts_id", "id"),
        Index("ix_department_alerts_household", "county_code", "household_id"),
        Index("ix_department_alerts_division_code", "division_code"),
    )
    __scope_column__ = "division_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    division_code: Mapped[str] = mapped_column(String(12))
    household_id: Mapped[int | None] = mapped_column(BigInteger)
    id_hash: Mapped[str] = mapped_column(String(64))
    id_masked: Mapped[str] = mapped_column(String(18))
    name: Mapped[str] = mapped_column(String(50))
    department: Mapped[str] = mapped_column(String(2))
    alert_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    description: Mapped[str | None] = mapped_column(String(200))
    # The household was already monitored (or in an open case) when the list was imported.
    monitored: Mapped[bool] = mapped_column(default=False)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
