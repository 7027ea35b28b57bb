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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed
from zhucun.core.i18n import _l
from zhucun.core.tx import conflict

# Posts one person holds at a time in a village: the party secretary (书记), the committee's
# director (主任) and the director of the village affairs supervision committee.
SINGLE_HOLDER_POSTS = ("11", "21", "31")
OPEN = "term_end IS NULL"
SINGLE_OPEN = "term_end IS NULL AND post IN ({})".format(", ".join(f"'{post}'" for post in SINGLE_HOLDER_POSTS))


class VillageOfficial(CountyKeyed, Base):
    """A resident holding a village post (村支书, 村主任, 委员…) for a term."""

    __tablename__ = "village_officials"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "member_id"], ["members.county_code", "members.id"], ondelete="CASCADE"),
        Index("ix_village_officials_village_code", "village_code"),
        Index("ix_village_officials_id", "id"),
        # The rules of the posts, held by the database as well as checked by the service.
        Index(
            "ix_village_officials_one_holder",
            "county_code",
            "village_code",
            "post",
            unique=True,
            postgresql_where=text(SINGLE_OPEN),
            sqlite_where=text(SINGLE_OPEN),
        ),
        Index(
            "ix_village_officials_held_once",
            "county_code",
            "member_id",
            "post",
            unique=True,
            postgresql_where=text(OPEN),
            sqlite_where=text(OPEN),
        ),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    member_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    post: Mapped[str] = mapped_column(String(2))
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)


conflict(
    "ix_village_officials_one_holder",
    "post",
    _l("The village already has a holder of this post; end that term first."),
)
conflict("ix_village_officials_held_once", "post", _l("This resident already holds this post."))
