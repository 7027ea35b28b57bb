"""Cadres of dispatching units and their postings to villages: the selection mechanism's
people, keyed by county like the registry."""

from __future__ import annotations

from datetime import date, datetime

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
    SmallInteger,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed, utcnow
from zhucun.core.i18n import _l
from zhucun.core.tx import conflict
from zhucun.registry.models import Person


def _level(column: str) -> CheckConstraint:
    return CheckConstraint(f"{column} BETWEEN 1 AND 5", name=f"{column}_level")


class Cadre(CountyKeyed, Person, Base):
    """A cadre of a dispatching unit, registered in the county where they serve."""

    __tablename__ = "cadres"
    __table_args__ = (
        UniqueConstraint("county_code", "id_hash"),
        Index("ix_cadres_division_code_id", "division_code", "id"),
        Index("ix_cadres_id", "id"),
        Index("ix_cadres_unit_id", "unit_id"),
        Index("ix_cadres_name", "name", postgresql_ops={"name": "text_pattern_ops"}),
    )
    __scope_column__ = "division_code"
    __scope_unit_column__ = "unit_id"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    education: Mapped[str | None] = mapped_column(String(2))
    speciality: Mapped[str | None] = mapped_column(String(100))
    skills: Mapped[str | None] = mapped_column(String(300))
    party_member: Mapped[bool] = mapped_column(Boolean, default=False)
    party_joined: Mapped[date | None] = mapped_column(Date)
    work_started: Mapped[date | None] = mapped_column(Date)
    rank: Mapped[str | None] = mapped_column(String(2))
    position: Mapped[str | None] = mapped_column(String(100))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    hometown_code: Mapped[str | None] = mapped_column(ForeignKey("divisions.code"))
    health: Mapped[str | None] = mapped_column(String(2))
    # The last day of a disciplinary sanction, which bars selection until it has passed.
    discipline_until: Mapped[date | None] = mapped_column(Date)
    # Where the cadre serves now: the posting's village, or the county while not posted.
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    # The dispatching unit's assessment of the five inner factors (selection/cadres/profile.py),
    # each a level from 1 (差) to 5 (优秀); NULL while not yet assessed.
    political: Mapped[int | None] = mapped_column(SmallInteger, _level("political"))
    responsibility: Mapped[int | None] = mapped_column(SmallInteger, _level("responsibility"))
    ability: Mapped[int | None] = mapped_column(SmallInteger, _level("ability"))
    dedication: Mapped[int | None] = mapped_column(SmallInteger, _level("dedication"))
    relations: Mapped[int | None] = mapped_column(SmallInteger, _level("relations"))
    assessed_on: Mapped[date | None] = mapped_column(Date)
    # The assessing account (users live on the coordinator: no foreign key from a county's row).
    assessed_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class CadrePosting(CountyKeyed, Base):
    """A cadre's current or past posting to a village."""

    __tablename__ = "cadre_postings"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "cadre_id"], ["cadres.county_code", "cadres.id"], ondelete="CASCADE"),
        Index("ix_cadre_postings_cadre", "county_code", "cadre_id"),
        Index("ix_cadre_postings_village_code", "village_code"),
        Index("ix_cadre_postings_id", "id"),
        # At most one open posting per cadre, held by the database as well as checked.
        Index(
            "ix_cadre_postings_one_open",
            "county_code",
            "cadre_id",
            unique=True,
            postgresql_where=text("end_date IS NULL"),
            sqlite_where=text("end_date IS NULL"),
        ),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    cadre_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    role: Mapped[str] = mapped_column(String(1))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))


conflict(
    "uq_cadres_county_code_id_hash", "id_number", _l("This person is already registered as a cadre in the county.")
)
conflict("ix_cadre_postings_one_open", "village_code", _l("The cadre is already posted; end that posting first."))
