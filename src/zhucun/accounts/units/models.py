"""Dispatching units (派出单位) and the counties they are paired with (对口帮扶): small
reference tables, copied to every node on Citus."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import REFERENCE, Base, utcnow
from zhucun.core.i18n import _l
from zhucun.core.tx import conflict

UNIT_LEVELS = ("central", "provincial", "city", "county")


UNIT_KINDS = ("government", "state_firm", "public_institution", "university")


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (
        CheckConstraint("level in ('central','provincial','city','county')", name="level"),
        CheckConstraint("kind in ('government','state_firm','public_institution','university')", name="kind"),
        {"info": {"distribution": REFERENCE}},
    )

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        """A unit is seen where its seat is and in the counties it is paired with; a unit's own
        account sees its unit."""
        parts = []
        for area in scope.areas:
            if area.unit_id is not None:
                parts.append(cls.id == area.unit_id)
                continue
            paired = select(UnitPairing.unit_id).where(area.within(UnitPairing.division_code))
            parts.append(or_(area.within(cls.division_code), cls.id.in_(paired)))
        return or_(*parts) if parts else false()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), index=True)
    level: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(20))
    division_code: Mapped[str | None] = mapped_column(ForeignKey("divisions.code"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class UnitPairing(Base):
    """对口帮扶: the counties a unit is paired with."""

    __tablename__ = "unit_pairings"
    __table_args__ = {"info": {"distribution": REFERENCE}}
    # A unit's pairings are shown with the unit, which is scoped (and scoped by them).
    __unscoped__ = "shown with its unit, which is scoped; a unit is seen where it is paired"

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), primary_key=True)


conflict("pk_unit_pairings", "division_code", _l("The unit is already paired with this county."))
