"""Registry tables: dispatching units and cadres; households, their members, incomes and
benefits; village officials; declared kinship; the history of every change; yearly
snapshots; and the record of imports.

Tables that grow with the registry are keyed by (county_code, id) and refer to each other
through (county_code, …) so that a county's rows live together on one Citus node; units,
imports and catalogues are reference tables. Personal numbers are never stored in clear:
``*_cipher`` holds AES-GCM ciphertext, ``*_hash`` a keyed hash for exact lookup, and
``*_masked`` what may be shown to anyone allowed to see the row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import REFERENCE, Base, CountyKeyed, utcnow
from .catalogues import CatalogueItem  # noqa: F401  (the table belongs to the registry's metadata)

UNIT_LEVELS = ("central", "provincial", "city", "county")
UNIT_KINDS = ("government", "state_firm", "public_institution", "university")
Money = Numeric(14, 2)


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

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"), primary_key=True)


class ImportBatch(Base):
    """One import of a file: who, when, the file's hash and the counts. A file of a kind is
    imported once: a second copy waits on the unique index and is then refused."""

    __tablename__ = "import_batches"
    __table_args__ = (
        Index(
            "uq_import_batches_done_file",
            "kind",
            "sha256",
            unique=True,
            postgresql_where=text("status = 'done'"),
            sqlite_where=text("status = 'done'"),
        ),
        {"info": {"distribution": REFERENCE}},
    )
    __scope_column__ = "division_code"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10))  # done, rejected, checked (dry run)
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    division_code: Mapped[str | None] = mapped_column(ForeignKey("divisions.code"))
    rows: Mapped[int] = mapped_column(Integer, default=0)
    households: Mapped[int] = mapped_column(Integer, default=0)
    members: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(150))
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class _Person:
    """Columns every registered person has."""

    name: Mapped[str] = mapped_column(String(50))
    id_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_hash: Mapped[str | None] = mapped_column(String(64))
    id_masked: Mapped[str | None] = mapped_column(String(18))
    gender: Mapped[str | None] = mapped_column(String(1))
    birth_date: Mapped[date | None] = mapped_column(Date)
    ethnicity: Mapped[str | None] = mapped_column(String(2))
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_masked: Mapped[str | None] = mapped_column(String(20))


class Cadre(CountyKeyed, _Person, Base):
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
    # Where the cadre serves now: the posting's village, or the county while not posted.
    division_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
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
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    cadre_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    role: Mapped[str] = mapped_column(String(1))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str | None] = mapped_column(String(200))


class Household(CountyKeyed, Base):
    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("county_code", "household_no"),
        Index("ix_households_village_code_id", "village_code", "id"),
        Index("ix_households_id", "id"),
        Index("ix_households_household_no", "household_no"),
        Index("ix_households_head_name", "head_name", postgresql_ops={"head_name": "text_pattern_ops"}),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_no: Mapped[str] = mapped_column(String(30))
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    group_number: Mapped[int | None] = mapped_column(Integer)
    head_name: Mapped[str | None] = mapped_column(String(50))
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    address: Mapped[str | None] = mapped_column(String(200))
    phone_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    phone_masked: Mapped[str | None] = mapped_column(String(20))
    bank_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    bank_masked: Mapped[str | None] = mapped_column(String(30))
    attribute: Mapped[str] = mapped_column(String(1), default="1")
    status: Mapped[str] = mapped_column(String(2), default="00")
    main_cause: Mapped[str | None] = mapped_column(String(2))
    other_causes: Mapped[str | None] = mapped_column(String(40))
    registered_year: Mapped[int | None] = mapped_column(Integer)
    exited_year: Mapped[int | None] = mapped_column(Integer)
    housing_safe: Mapped[bool | None] = mapped_column(Boolean)
    water_safe: Mapped[bool | None] = mapped_column(Boolean)
    cultivated_land_mu: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    forest_land_mu: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    productive_assets: Mapped[Decimal | None] = mapped_column(Money)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class HouseholdIncome(CountyKeyed, Base):
    """A household's income by source in one year (yuan)."""

    __tablename__ = "household_incomes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "household_id"], ["households.county_code", "households.id"], ondelete="CASCADE"
        ),
    )

    household_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    wage: Mapped[Decimal] = mapped_column(Money, default=0)
    production: Mapped[Decimal] = mapped_column(Money, default=0)
    property: Mapped[Decimal] = mapped_column(Money, default=0)
    transfer: Mapped[Decimal] = mapped_column(Money, default=0)
    production_costs: Mapped[Decimal] = mapped_column(Money, default=0)


class HouseholdBenefit(CountyKeyed, Base):
    """Relief a household received (享受政策): what, when, how much, decided by whom."""

    __tablename__ = "household_benefits"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "household_id"], ["households.county_code", "households.id"], ondelete="CASCADE"
        ),
        Index("ix_household_benefits_household", "county_code", "household_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    year: Mapped[int] = mapped_column(Integer)
    program: Mapped[str] = mapped_column(String(2))
    amount: Mapped[Decimal] = mapped_column(Money)
    granted_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(200))


class Member(CountyKeyed, _Person, Base):
    """A member of a household; one person is in one household only."""

    __tablename__ = "members"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "household_id"], ["households.county_code", "households.id"], ondelete="CASCADE"
        ),
        UniqueConstraint("county_code", "id_hash"),
        Index("ix_members_village_code_id", "village_code", "id"),
        Index("ix_members_id", "id"),
        Index("ix_members_household", "county_code", "household_id"),
        # text_pattern_ops lets LIKE 'prefix%' use the index whatever the database's collation.
        Index("ix_members_name", "name", postgresql_ops={"name": "text_pattern_ops"}),
        Index("ix_members_id_hash", "id_hash"),
    )
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(ForeignKey("divisions.code"))
    relation: Mapped[str] = mapped_column(String(2))
    education: Mapped[str | None] = mapped_column(String(1))
    student: Mapped[str | None] = mapped_column(String(1))
    health: Mapped[str | None] = mapped_column(String(1))
    disability: Mapped[str | None] = mapped_column(String(1))
    disability_grade: Mapped[str | None] = mapped_column(String(1))
    labour: Mapped[str | None] = mapped_column(String(1))
    migrant_months: Mapped[int | None] = mapped_column(Integer)
    medical_insurance: Mapped[bool | None] = mapped_column(Boolean)
    pension_insurance: Mapped[bool | None] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(1), default="1")
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


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


class KinRelation(CountyKeyed, Base):
    """A declared relation between two residents (kinship inside a household is read from
    the relation to the head). ``kind`` reads from the first to the second: parent means
    the first is a parent of the second."""

    __tablename__ = "kin_relations"
    __table_args__ = (
        ForeignKeyConstraint(["county_code", "member_a"], ["members.county_code", "members.id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["county_code", "member_b"], ["members.county_code", "members.id"], ondelete="CASCADE"),
        CheckConstraint("member_a <> member_b", name="distinct"),
        Index("ix_kin_relations_b", "county_code", "member_b"),
    )

    member_a: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    member_b: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RegistryChange(CountyKeyed, Base):
    """The history of a household and its members: every change with who, when, before,
    after and why (rows created by an import point to their batch instead)."""

    __tablename__ = "registry_changes"
    __table_args__ = (Index("ix_registry_changes_household", "county_code", "household_id", "id"),)
    __scope_column__ = "village_code"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    household_id: Mapped[int | None] = mapped_column(BigInteger)
    entity: Mapped[str] = mapped_column(String(20))
    entity_id: Mapped[int] = mapped_column(BigInteger)
    village_code: Mapped[str] = mapped_column(String(12))
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(150))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text)


class RegistrySnapshot(CountyKeyed, Base):
    """年度动态调整: the register of a county frozen as it stood at the end of a year."""

    __tablename__ = "registry_snapshots"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    frozen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    actor_name: Mapped[str] = mapped_column(String(150))
    households: Mapped[int] = mapped_column(Integer)
    members: Mapped[int] = mapped_column(Integer)


class HouseholdSnapshot(CountyKeyed, Base):
    __tablename__ = "household_snapshots"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "year"], ["registry_snapshots.county_code", "registry_snapshots.year"], ondelete="CASCADE"
        ),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    household_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    household_no: Mapped[str] = mapped_column(String(30))
    village_code: Mapped[str] = mapped_column(String(12))
    attribute: Mapped[str] = mapped_column(String(1))
    status: Mapped[str] = mapped_column(String(2))
    member_count: Mapped[int] = mapped_column(Integer)
    main_cause: Mapped[str | None] = mapped_column(String(2))


class MemberSnapshot(CountyKeyed, Base):
    __tablename__ = "member_snapshots"
    __table_args__ = (
        ForeignKeyConstraint(
            ["county_code", "year"], ["registry_snapshots.county_code", "registry_snapshots.year"], ondelete="CASCADE"
        ),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    member_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    household_id: Mapped[int] = mapped_column(BigInteger)
    id_hash: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(50))
    relation: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(1))
