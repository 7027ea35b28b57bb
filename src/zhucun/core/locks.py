"""Serialising writers that check a rule and then insert (one open posting per cadre, one
party secretary per village): without it two requests — a double click is enough — could
both pass the check on PostgreSQL. SQLite writers are serialised already (BEGIN IMMEDIATE)."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def serialize(session: Session, key: str) -> None:
    """Hold a lock named ``key`` until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
