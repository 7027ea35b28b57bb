"""selection: the dispatching unit's assessment of a cadre's five inner factors

Revision ID: 20261204_0024
Revises: 20261204_0023
Create Date: 2026-12-05 07:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261204_0024"
down_revision = "20261204_0023"
branch_labels = None
depends_on = None

TABLE = "cadres"
FACTORS = ("political", "responsibility", "ability", "dedication", "relations")


def _add_level(column: str) -> None:
    name, rule = op.f(f"ck_cadres_{column}_level"), f"{column} BETWEEN 1 AND 5"
    if op.get_bind().dialect.name == "sqlite":
        # A column-level CHECK: SQLite adds it with ALTER TABLE ADD COLUMN, so the table is not
        # copied (a copy would have to drop the cadres that postings and nominations refer to).
        op.add_column(TABLE, sa.Column(column, sa.SmallInteger(), sa.CheckConstraint(rule, name=name)))
        return
    # PostgreSQL: the column, then its constraint, in two commands (Citus refuses ADD COLUMN
    # with a CHECK in one, and propagates each of the two to the shards).
    op.add_column(TABLE, sa.Column(column, sa.SmallInteger(), nullable=True))
    op.create_check_constraint(name, TABLE, sa.text(rule))


def upgrade() -> None:
    for factor in FACTORS:
        _add_level(factor)
    op.add_column(TABLE, sa.Column("assessed_on", sa.Date(), nullable=True))
    op.add_column(TABLE, sa.Column("assessed_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    for column in ("assessed_by", "assessed_on", *reversed(FACTORS)):
        op.drop_column(TABLE, column)
