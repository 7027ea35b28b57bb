"""Village officials (村两委): residents holding a post for a term."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Date,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed


class VillageOfficial(CountyKeyed, Base):
    """A resident holding a village post (村支书, 村主任, 委员…) for a term."""

    __tablename__ = "village_officials"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "member_id"], ["members.county_code", "members.id"], ondelete="CASCADE"),
        Index("ix_village_officials_village_code", "village_code"),
        Index("ix_village_officials_id", "id"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    member_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    post: Mapped[str] = mapped_column(String(2))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)
