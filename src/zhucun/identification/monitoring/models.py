"""Alerts from other departments' lists (hospital costs, civil affairs, disaster victims,
unemployment, education, disabled persons' federation), each row matched to a household
by the ID keyed hash when it was imported; the ID number itself is never stored."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed, utcnow
from zhucun.core.i18n import _l
from zhucun.core.tx import conflict


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


class SignalTally(CountyKeyed, Base):
    """The monitoring signals of one village as the last sweep of its area found them, with
    the day it ran: the home page counts these (one indexed read) instead of computing the
    signals over the whole register on every view. Every village of a swept area has a row,
    so a village without signals reads 0 as of that day, not "never swept"."""

    __tablename__ = "signal_tallies"
    __table_args__ = (
        CheckConstraint("pending >= 0 AND pending <= signalled", name="pending_within_signalled"),
        Index("ix_signal_tallies_village_code", "village_code"),
    )
    __scope_column__ = "village_code"

    village_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    as_of: Mapped[date] = mapped_column(Date)
    signalled: Mapped[int] = mapped_column(Integer)
    # Signalled households neither monitored nor in an open case when the sweep ran.
    pending: Mapped[int] = mapped_column(Integer)


# Two sweeps of one area at once both replace its tallies: the second is told, not a 500.
conflict("pk_signal_tallies", "division", _l("Another sweep of this area is running; try again shortly."))
