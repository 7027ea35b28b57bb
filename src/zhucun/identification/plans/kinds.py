"""The measure catalogue: the defaults in ``rules.DEFAULT_KINDS`` are added after every
migration when missing; kinds added or relabelled with the CLI are kept."""

from __future__ import annotations

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from . import rules
from .models import MeasureKind


def sync(session: Session) -> int:
    """Insert the default kinds the table lacks; returns how many were added."""
    present = set(session.scalars(select(MeasureKind.code)))
    rows = [
        {"code": code, "label_zh": zh, "label_en": en, "causes": causes, "active": True}
        for code, zh, en, causes in rules.DEFAULT_KINDS
        if code not in present
    ]
    if rows:
        session.execute(insert(MeasureKind), rows)
    return len(rows)
