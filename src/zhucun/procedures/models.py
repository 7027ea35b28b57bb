"""Procedure versions, cases, their signatures, public notices and objections.

The dual-signature rule is held by the database too: within one round of a case, one
signature per body (primary key) and one signature per account (unique index), so that
two requests racing past the service's check still cannot put both on one account.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from zhucun.core.db import REFERENCE, Base, CountyKeyed, utcnow


class ProcedureVersion(Base):
    """One version of a procedure for a province (or "" for the national default) and year."""

    __tablename__ = "procedure_versions"
    __unscoped__ = "procedures are reference data, the same for every reader of a province"
    __table_args__ = (
        UniqueConstraint("kind", "province", "year", "version"),
        {"info": {"distribution": REFERENCE}},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    province: Mapped[str] = mapped_column(String(2), default="")
    year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    definition: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Case(CountyKeyed, Base):
    """A case running through a procedure; it keeps the version it started with."""

    __tablename__ = "cases"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "household_id"], ["households.county_code", "households.id"]),
        Index("ix_cases_id", "id"),
        Index("ix_cases_village_code_id", "village_code", "id"),
        Index("ix_cases_status_step", "status", "step"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(30))
    procedure_id: Mapped[int] = mapped_column(ForeignKey("procedure_versions.id"))
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    household_id: Mapped[int | None] = mapped_column(BigInteger)
    step: Mapped[str] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default="open")
    round: Mapped[int] = mapped_column(Integer, default=1)
    opened_on: Mapped[date] = mapped_column(Date)
    step_entered_on: Mapped[date] = mapped_column(Date)
    notice_ends_on: Mapped[date | None] = mapped_column(Date)
    decided_on: Mapped[date | None] = mapped_column(Date)
    related: Mapped[bool] = mapped_column(Boolean, default=False)
    # The relation path that flagged the case (e.g. "村党组织书记 王某 → 兄弟").
    related_path: Mapped[str | None] = mapped_column(Text)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    # The level an overdue case was escalated to (township, county) by the sweep, and when.
    escalated_to: Mapped[str | None] = mapped_column(String(10))
    escalated_on: Mapped[date | None] = mapped_column(Date)
    # Facts of the case: category, review record, failed rules, reasons (no ID numbers).
    facts: Mapped[Any] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CaseSignature(CountyKeyed, Base):
    """A body's signature on the dual step of one round of a case."""

    __tablename__ = "case_signatures"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "case_id"], ["cases.county_code", "cases.id"], ondelete="CASCADE"),
        UniqueConstraint("county_code", "case_id", "round", "account_id", name="uq_case_signatures_one_per_account"),
    )
    __scope_column__ = "village_code"

    case_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    round: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    step: Mapped[str] = mapped_column(String(30), primary_key=True)
    body: Mapped[str] = mapped_column(String(20), primary_key=True)
    account_id: Mapped[int] = mapped_column(Integer)
    account_name: Mapped[str] = mapped_column(String(150))
    village_code: Mapped[str] = mapped_column(String(12))
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Notice(CountyKeyed, Base):
    """A public notice of a case: what the public page shows, and how long it runs."""

    __tablename__ = "case_notices"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "case_id"], ["cases.county_code", "cases.id"], ondelete="CASCADE"),
        Index("ix_case_notices_id", "id"),
        Index("ix_case_notices_village_code_ends_on", "village_code", "ends_on"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    case_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(30))
    step: Mapped[str] = mapped_column(String(30))
    round: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # Interrupted by an objection (the case went back); the notice runs again in full later.
    interrupted: Mapped[bool] = mapped_column(Boolean, default=False)
    # The facts the rules allow on a public page: name, household size, category, reason.
    public: Mapped[Any] = mapped_column(JSON)


class Objection(CountyKeyed, Base):
    """An objection to a notice, from anyone; the address is kept only as a keyed hash."""

    __tablename__ = "case_objections"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "notice_id"], ["case_notices.county_code", "case_notices.id"]),
        Index("ix_case_objections_id", "id"),
        Index("ix_case_objections_address_at", "address_hash", "received_at"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    notice_id: Mapped[int] = mapped_column(BigInteger)
    case_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    name: Mapped[str | None] = mapped_column(String(50))
    contact: Mapped[str | None] = mapped_column(String(50))
    address_hash: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
