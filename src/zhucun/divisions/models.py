"""Administrative divisions (province → village) and village groups: reference tables."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, DateTime, Float, ForeignKey, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import REFERENCE, Base, utcnow

FLAGS = (
    "is_poor_village",
    "is_exited",
    "is_key_village",
    "is_weak_branch",
    "is_relocation_site",
    "is_ethnic_area",
    "is_western",
)


class Division(Base):
    __tablename__ = "divisions"
    __table_args__ = (
        CheckConstraint("length(code) = 12", name="code_length"),
        CheckConstraint("level in ('province','prefecture','county','township','village')", name="level"),
        {"info": {"distribution": REFERENCE}},
    )
    __scope_column__ = "code"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    level: Mapped[str] = mapped_column(String(10), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("divisions.code"), index=True)
    # 城乡分类代码 of the statistics bureau's tables (111 main urban area … 220 village).
    urban_rural_code: Mapped[str | None] = mapped_column(String(3))

    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    checkin_radius_m: Mapped[int | None] = mapped_column(Integer)
    population: Mapped[int | None] = mapped_column(Integer)
    households: Mapped[int | None] = mapped_column(Integer)
    collective_income: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))

    is_poor_village: Mapped[bool] = mapped_column(Boolean, default=False)
    is_exited: Mapped[bool] = mapped_column(Boolean, default=False)
    exited_year: Mapped[int | None] = mapped_column(Integer)
    is_key_village: Mapped[bool] = mapped_column(Boolean, default=False)
    is_weak_branch: Mapped[bool] = mapped_column(Boolean, default=False)
    is_relocation_site: Mapped[bool] = mapped_column(Boolean, default=False)
    is_ethnic_area: Mapped[bool] = mapped_column(Boolean, default=False)
    is_western: Mapped[bool] = mapped_column(Boolean, default=False)

    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class VillageGroup(Base):
    """村民小组: a numbered group inside a village (no statistical code of its own)."""

    __tablename__ = "village_groups"
    __table_args__ = {"info": {"distribution": REFERENCE}}
    __scope_column__ = "village_code"

    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(50))
    households: Mapped[int | None] = mapped_column(Integer)
