"""Placing tables on a Citus cluster, when the ``citus`` extension is installed.

Distributed tables are sharded by county code (co-located, so joins within a county stay
on one node); reference tables are copied to every node; local tables (accounts, sessions,
counters) stay on the coordinator. On SQLite or a plain PostgreSQL these helpers are plain
``op.create_table`` and do nothing more, so the schema there is exactly as before.

Order matters on Citus: a table created with a foreign key to a reference table becomes a
"Citus local" table at once, and a foreign key from such a table to one that is then
distributed is refused (*foreign keys from reference tables and local tables to
distributed tables are not supported*). So a migration creates its tables with
``create_table`` (which holds their foreign keys back on Citus), places them with
``distribute`` (reference tables first, then the distributed ones, co-located), and only
then are the foreign keys added.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy import Connection, text

COUNTY_COLUMN = "county_code"
# Every distributed table is co-located with the first one, so that a join on
# (county_code, …) between any two of them stays on one node.
COLOCATION_ANCHOR = "audit_entries"

# Foreign keys held back until the tables of the current migration are placed.
_pending: list[tuple[str, sa.ForeignKeyConstraint]] = []


def enabled() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    return bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")).first() is not None


def begin(connection: Connection) -> None:
    """Start the migrations' transaction. Distributing a table creates its shards over several
    connections per node, after which the transaction could not add a foreign key to a
    reference table: one connection per node lets every migration run in the one transaction."""
    if connection.dialect.name != "postgresql":
        return
    if connection.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'citus'")).first() is not None:
        connection.execute(text("SET LOCAL citus.multi_shard_modify_mode = 'sequential'"))


def create_table(name: str, *elements: Any, **kwargs: Any) -> Any:
    """``op.create_table``; on Citus without its foreign keys, which ``distribute`` adds."""
    if not enabled():
        return op.create_table(name, *elements, **kwargs)
    keys = [e for e in elements if isinstance(e, sa.ForeignKeyConstraint)]
    _pending.extend((name, key) for key in keys)
    return op.create_table(name, *(e for e in elements if not isinstance(e, sa.ForeignKeyConstraint)), **kwargs)


def distribute(*, reference: Sequence[str] = (), distributed: Sequence[str] = ()) -> None:
    """Make ``reference`` tables reference tables, shard ``distributed`` ones by county, then
    add the foreign keys that ``create_table`` held back."""
    if not enabled():
        return
    bind = op.get_bind()
    for table in reference:
        bind.execute(text("SELECT create_reference_table(:t)"), {"t": table})
    for table in distributed:
        anchor = "default" if table == COLOCATION_ANCHOR else COLOCATION_ANCHOR
        bind.execute(
            text("SELECT create_distributed_table(:t, :c, colocate_with => :a)"),
            {"t": table, "c": COUNTY_COLUMN, "a": anchor},
        )
    add_foreign_keys()


def add_foreign_keys() -> None:
    """Add the held-back foreign keys (for a migration that places no table of its own)."""
    while _pending:
        table, key = _pending.pop(0)
        targets = [element.target_fullname for element in key.elements]
        op.create_foreign_key(
            key.name,
            table,
            targets[0].split(".")[0],
            list(key.column_keys),
            [target.split(".")[1] for target in targets],
            ondelete=key.ondelete,
            onupdate=key.onupdate,
        )
