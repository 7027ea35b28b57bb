"""A registration reviewed as "not the same person" as the others with its ID number."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, ForeignKeyConstraint, Integer, String, Text, exists, select
from sqlalchemy.orm import Mapped, mapped_column

from ...core.db import Base, CountyKeyed, utcnow
from ..models import Member


class DuplicateReview(CountyKeyed, Base):
    """Kept in the county of the reviewed registration, next to it; ``id_hash`` is the
    number it was reviewed under, so that a corrected and again clashing number is
    reported anew."""

    __tablename__ = "duplicate_reviews"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "member_id"], ["members.county_code", "members.id"], ondelete="CASCADE"),
    )

    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        """Seen where the reviewed registration is."""
        m = Member
        return exists(select(m.id).where(m.county_code == cls.county_code, m.id == cls.member_id, scope.clause(m)))

    id_hash: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(150))
    reviewed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
