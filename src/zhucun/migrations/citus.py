"""Placing tables on a Citus cluster, when the ``citus`` extension is installed.

Distributed tables are sharded by county code (co-located, so joins within a county stay
on one node); reference tables are copied to every node. On SQLite or a plain PostgreSQL
these calls do nothing, so every migration may call ``distribute`` after creating tables.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

COUNTY_COLUMN = "county_code"


def enabled() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")).first() is not None


def distribute(*, reference: Sequence[str] = (), distributed: Sequence[str] = ()) -> None:
    """Make ``reference`` tables reference tables, then shard ``distributed`` ones by county."""
    if not enabled():
        return
    bind = op.get_bind()
    for table in reference:
        bind.execute(text("SELECT create_reference_table(:t)"), {"t": table})
    for table in distributed:
        bind.execute(
            text("SELECT create_distributed_table(:t, :c, colocate_with => 'default')"),
            {"t": table, "c": COUNTY_COLUMN},
        )
