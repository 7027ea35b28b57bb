"""The audit trail: append-only, one hash chain per county, written in the caller's transaction.

Each entry carries the hash of the entry before it in the same chain, and a head row per
chain holds the last sequence number and hash, so that a changed, inserted or deleted
entry (the last one included) breaks verification. Locking the head row serialises
writers of one chain; chains of different counties never wait for each other.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, DateTime, Index, Integer, String, Text, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from .db import Base, CountyKeyed, county_of, utcnow
from .i18n import _

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who acted: an account (or the system), through which channel and from where."""

    user_id: int | None
    username: str
    via: str = "system"
    ip: str | None = None


SYSTEM = Actor(user_id=None, username="system", via="cli")


class AuditEntry(CountyKeyed, Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_entity", "entity", "entity_id"),)
    # Readers see the entries about divisions in their area.
    __scope_column__ = "division_code"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(150))
    via: Mapped[str] = mapped_column(String(10))
    ip: Mapped[str | None] = mapped_column(String(45))
    action: Mapped[str] = mapped_column(String(80), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(80))
    division_code: Mapped[str | None] = mapped_column(String(12))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))

    @property
    def ref(self) -> str:
        return f"{self.county_code}-{self.seq}"

    def content(self) -> dict[str, Any]:
        return {
            "county_code": self.county_code,
            "seq": self.seq,
            "at": self.at.isoformat(timespec="microseconds"),
            "actor_id": self.actor_id,
            "actor_name": self.actor_name,
            "via": self.via,
            "ip": self.ip,
            "action": self.action,
            "entity": self.entity,
            "entity_id": self.entity_id,
            "division_code": self.division_code,
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical(self.content()).encode()).hexdigest()


class AuditHead(Base):
    __tablename__ = "audit_heads"
    __unscoped__ = "the head of each county's hash chain, read and written by core.audit only"

    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=canonical) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def _lock_head(session: Session, county: str) -> AuditHead:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(AuditHead).values(county_code=county, seq=0, hash=GENESIS).on_conflict_do_nothing())
    return session.scalars(
        select(AuditHead)
        .where(AuditHead.county_code == county)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def record(
    session: Session,
    *,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: Any = None,
    division: str | None = None,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> AuditEntry:
    """Append an entry to the chain of the division's county, in the caller's transaction."""
    county = county_of(division)
    head = _lock_head(session, county)
    entry = AuditEntry(
        county_code=county,
        seq=head.seq + 1,
        at=utcnow(),
        actor_id=actor.user_id,
        actor_name=actor.username,
        via=actor.via,
        ip=actor.ip,
        action=str(action.value if isinstance(action, Enum) else action),
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        division_code=division,
        before=_plain(before),
        after=_plain(after),
        reason=reason,
        prev_hash=head.hash,
    )
    entry.hash = entry.compute_hash()
    session.add(entry)
    head.seq, head.hash = entry.seq, entry.hash
    session.flush()
    return entry


@dataclass(frozen=True)
class Finding:
    ref: str
    problem: str


@dataclass
class Verification:
    checked: int
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return not self.findings


def _chains(
    session: Session, prefixes: list[str] | None, within: tuple[str, ...] | None
) -> Iterator[tuple[str, Iterator[AuditEntry]]]:
    statement = select(AuditEntry.county_code).distinct().order_by(AuditEntry.county_code)
    if within is not None:
        # Named counties, so that a county's check reads that county's shard only.
        statement = statement.where(AuditEntry.county_code.in_(within))
    counties = session.scalars(statement).all()
    heads = set(session.scalars(select(AuditHead.county_code)).all())
    for county in sorted(set(counties) | heads):
        if prefixes is not None and not any(county.startswith(p[:6]) for p in prefixes):
            continue
        rows = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.county_code == county)
            .order_by(AuditEntry.seq)
            .execution_options(yield_per=2000)
        )
        yield county, iter(rows)


def verify(
    session: Session, prefixes: list[str] | None = None, *, within: tuple[str, ...] | None = None
) -> Verification:
    """Walk every chain (or those of the counties under ``prefixes``); report the first bad
    entry of each by its reference. The session must not be scoped: a chain is checked whole."""
    checked = 0
    findings: list[Finding] = []
    heads = {h.county_code: h for h in session.scalars(select(AuditHead))}
    for county, entries in _chains(session, prefixes, within):
        expected_seq, prev_hash, bad = 1, GENESIS, None
        for entry in entries:
            checked += 1
            if bad:
                continue
            if entry.seq != expected_seq:
                bad = Finding(entry.ref, _("sequence gap: expected {ref}").format(ref=f"{county}-{expected_seq}"))
            elif entry.prev_hash != prev_hash:
                bad = Finding(entry.ref, _("previous hash does not match the entry before"))
            elif entry.compute_hash() != entry.hash:
                bad = Finding(entry.ref, _("content does not match its hash"))
            expected_seq, prev_hash = entry.seq + 1, entry.hash
        head = heads.get(county)
        if not bad and head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
            missing = f"{county}-{head.seq}" if head.seq >= expected_seq else f"{county}-{expected_seq - 1}"
            bad = Finding(missing, _("chain head does not match the last entry (entries removed or added at the end)"))
        if not bad and head is None and expected_seq > 1:
            bad = Finding(f"{county}-1", _("chain has no head"))
        if bad:
            findings.append(bad)
    return Verification(checked=checked, findings=findings)
