"""Terms of postings, handover checklists and the commendation, promotion and recall lists,
keyed by county like the postings they belong to."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import Base, CountyKeyed, utcnow
from zhucun.core.i18n import _l
from zhucun.core.tx import conflict


def _posting_fk() -> ForeignKeyConstraint:
    return ForeignKeyConstraint(
        ["county_code", "posting_id"], ["cadre_postings.county_code", "cadre_postings.id"], ondelete="CASCADE"
    )


class PostingTerm(CountyKeyed, Base):
    """A posting's term when it is not the default one (start year, start + term length):
    a replacement serves out the recalled cadre's term."""

    __tablename__ = "posting_terms"
    __table_args__ = (_posting_fk(), Index("ix_posting_terms_village_code", "village_code"))
    __scope_column__ = "village_code"

    posting_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    term: Mapped[int] = mapped_column(Integer)
    term_end: Mapped[date] = mapped_column(Date)


class Handover(CountyKeyed, Base):
    """The handover checklist of a posting that ends (term end or recall)."""

    __tablename__ = "handovers"
    __table_args__ = (_posting_fk(), Index("ix_handovers_village_code", "village_code"))
    __scope_column__ = "village_code"
    __scope_unit_column__ = "unit_id"

    posting_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    cadre_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    # The items required when the checklist opened (the province's list of that year).
    items: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="open")
    opened_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(150))


class HandoverTick(CountyKeyed, Base):
    """One item of a checklist ticked, by whom and when."""

    __tablename__ = "handover_ticks"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "posting_id"], ["handovers.county_code", "handovers.posting_id"], ondelete="CASCADE"
        ),
    )
    __scope_column__ = "village_code"

    posting_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    item: Mapped[str] = mapped_column(String(20), primary_key=True)
    village_code: Mapped[str] = mapped_column(String(12))
    ticked_by: Mapped[str] = mapped_column(String(150))
    ticked_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(String(200))


class ListEntry(CountyKeyed, Base):
    """A cadre on the commendation, promotion-priority or recall list of a term."""

    __tablename__ = "cadre_list_entries"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "cadre_id"], ["cadres.county_code", "cadres.id"], ondelete="CASCADE"),
        UniqueConstraint("county_code", "term", "kind", "cadre_id", name="uq_cadre_list_entries_once"),
        Index("ix_cadre_list_entries_division_code", "division_code"),
    )
    __scope_column__ = "division_code"
    __scope_unit_column__ = "unit_id"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    term: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    cadre_id: Mapped[int] = mapped_column(BigInteger)
    # The county (12 digits) the cadre is registered in, for the scope.
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    reason: Mapped[str] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(20), default="manual")
    # Where the entry came from: the recall case, later the appraisal.
    source_ref: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


conflict("uq_cadre_list_entries_once", "cadre_id", _l("The cadre is already on this list for the term."))
conflict("pk_handover_ticks", "item", _l("This item is already ticked."))
