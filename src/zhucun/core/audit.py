"""The audit trail: append-only, one hash chain per county, written in the caller's transaction.

Each entry carries the hash of the entry before it in the same chain, and a head row per
chain holds the last sequence number and hash, so that a changed, inserted or deleted
entry (the last one included) breaks verification. Locking the head row serialises
writers of one chain; chains of different counties never wait for each other.

A hash chain alone does not stop whoever can write to the database from rewriting a whole
chain with freshly computed hashes, so each head is also sealed: an HMAC of (county, seq,
hash) under a key kept in the key directory, outside the database. A writer extends the
seal only from a head whose seal holds; a broken or missing seal therefore stays broken
until ``zhucun audit seal`` reseals the chain, with an entry saying who did so and why.
"""

from __future__ import annotations

import hashlib
import hmac
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

from ..config import get_settings
from .crypto import audit_key
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
    # HMAC-SHA256 of (county, seq, hash) under the audit key; None on heads never sealed.
    mac: Mapped[str | None] = mapped_column(String(64))


def seal_key(session: Session) -> bytes:
    """The audit key of the session's database: its Database's key directory, else the settings'."""
    return audit_key(session.info.get("key_dir") or get_settings().key_dir)


def seal(key: bytes, county: str, seq: int, hash_: str) -> str:
    return hmac.new(key, f"{county}|{seq}|{hash_}".encode(), hashlib.sha256).hexdigest()


def is_sealed(key: bytes, head: AuditHead) -> bool:
    return head.mac is not None and hmac.compare_digest(head.mac, seal(key, head.county_code, head.seq, head.hash))


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


def _lock_head(session: Session, county: str, key: bytes) -> AuditHead:
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    genesis = {"county_code": county, "seq": 0, "hash": GENESIS, "mac": seal(key, county, 0, GENESIS)}
    session.execute(insert(AuditHead).values(**genesis).on_conflict_do_nothing())
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
    key = seal_key(session)
    head = _lock_head(session, county, key)
    sealed = is_sealed(key, head)
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
    if sealed:
        head.mac = seal(key, county, head.seq, head.hash)
    session.flush()
    return entry


# Findings about the seal alone: the entries hold together, the head is not authenticated.
UNSEALED = "unsealed"
BAD_SEAL = "bad_seal"


@dataclass(frozen=True)
class Finding:
    ref: str
    problem: str
    code: str = "broken"


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
    key = seal_key(session)
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
        if not bad and head is not None:
            bad = _seal_finding(key, head)
        if bad:
            findings.append(bad)
    return Verification(checked=checked, findings=findings)


def _seal_finding(key: bytes, head: AuditHead) -> Finding | None:
    ref = f"{head.county_code}-{head.seq}"
    if head.mac is None:
        return Finding(ref, _("chain head is not sealed with the audit key"), UNSEALED)
    if not is_sealed(key, head):
        return Finding(ref, _("chain head's seal does not match: the chain was rewritten"), BAD_SEAL)
    return None


SEALED = "audit:chain:sealed"


def reseal(session: Session, county: str, *, actor: Actor, reason: str) -> AuditEntry:
    """Seal a chain's head under the current audit key, recording who did it and why.

    The caller has checked that the chain's entries hold together (``verify`` found at most
    a seal problem): this vouches for a chain written before sealing, or under a lost key."""
    head = session.get(AuditHead, county)
    before = None if head is None else {"seq": head.seq, "hash": head.hash}
    entry = record(
        session,
        actor=actor,
        action=SEALED,
        entity="audit_chain",
        entity_id=county,
        division=county,
        before=before,
        reason=reason,
    )
    head = session.get_one(AuditHead, county)
    head.mac = seal(seal_key(session), county, head.seq, head.hash)
    session.flush()
    return entry
