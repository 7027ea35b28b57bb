"""Declared kinship between residents of different households."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKeyConstraint,
    Index,
    String,
    exists,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed, utcnow
from zhucun.registry.models import Member


class KinRelation(CountyKeyed, Base):
    """A declared relation between two residents (kinship inside a household is read from
    the relation to the head). ``kind`` reads from the first to the second: parent means
    the first is a parent of the second."""

    __tablename__ = "kin_relations"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "member_a"], ["members.county_code", "members.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["county_code", "member_b"], ["members.county_code", "members.id"], ondelete="CASCADE"),
        CheckConstraint("member_a <> member_b", name="distinct"),
        # Covering, as the primary key is for the first side: both sides of a walk over
        # kinship read the index alone, and SQLite picks it over the key's county prefix.
        Index("ix_kin_relations_b_a", "county_code", "member_b", "member_a"),
    )

    member_a: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    member_b: Mapped[int] = mapped_column(BigInteger, primary_key=True)

    @classmethod
    def __scope_clause__(cls, scope: Any) -> Any:
        """Seen where either relative is on the roll: a relation crosses villages."""
        return or_(*(_member_in_scope(cls.county_code, side, scope) for side in (cls.member_a, cls.member_b)))

    kind: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


def _member_in_scope(county: Any, member_id: Any, scope: Any) -> Any:
    return exists(select(Member.id).where(Member.county_code == county, Member.id == member_id, scope.clause(Member)))
