"""Helper assignments: who helps each household now, and who helped it before."""

from __future__ import annotations

from datetime import date

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, ForeignKeyConstraint, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed
from zhucun.core.i18n import _l
from zhucun.core.tx import conflict

# Exactly one kind of helper per assignment.
ONE_HELPER = (
    "(CASE WHEN cadre_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN account_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN official_id IS NULL THEN 0 ELSE 1 END) = 1"
)


class HelperAssignment(CountyKeyed, Base):
    """A household's helper from ``start_date`` until ``end_date`` (open while None). The
    helper is exactly one of: a cadre (of a dispatching unit, or a team member), a sitting
    village official (村干部, a resident holding a post), or an account for anyone else."""

    __tablename__ = "helper_assignments"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "household_id"], ["households.county_code", "households.id"], ondelete="CASCADE"
        ),
        ForeignKeyConstraint(["county_code", "cadre_id"], ["cadres.county_code", "cadres.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(
            ["county_code", "official_id"],
            ["village_officials.county_code", "village_officials.id"],
            ondelete="CASCADE",
        ),
        CheckConstraint(ONE_HELPER, name="one_helper"),
        Index("ix_helper_assignments_id", "id"),
        Index("ix_helper_assignments_village_code", "village_code"),
        Index("ix_helper_assignments_cadre", "county_code", "cadre_id"),
        Index("ix_helper_assignments_official", "county_code", "official_id"),
        # One open assignment per household, held by the database as well as by the rule.
        Index(
            "ix_helper_assignments_one_open",
            "county_code",
            "household_id",
            unique=True,
            postgresql_where=text("end_date IS NULL"),
            sqlite_where=text("end_date IS NULL"),
        ),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_id: Mapped[int] = mapped_column(BigInteger)
    # The household's village, kept here so that scope and coverage need no join.
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    cadre_id: Mapped[int | None] = mapped_column(BigInteger)
    # No foreign key: accounts live on the coordinator only (a local table), which a table
    # sharded by county cannot refer to on Citus.
    account_id: Mapped[int | None] = mapped_column(Integer)
    official_id: Mapped[int | None] = mapped_column(BigInteger)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))


conflict(
    "ix_helper_assignments_one_open",
    "household_id",
    _l("The household already has a helper; someone else assigned one at the same time — try again."),
)
