"""identification: the monitoring signals of each village as the last sweep found them

Revision ID: 20261204_0022
Revises: 20261204_0021
Create Date: 2026-12-05 03:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0022"
down_revision = "20261204_0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    citus.create_table(
        "signal_tallies",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("signalled", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "pending >= 0 AND pending <= signalled", name=op.f("ck_signal_tallies_pending_within_signalled")
        ),
        sa.PrimaryKeyConstraint("county_code", "village_code", name=op.f("pk_signal_tallies")),
    )
    op.create_index("ix_signal_tallies_village_code", "signal_tallies", ["village_code"])
    citus.distribute(distributed=["signal_tallies"])


def downgrade() -> None:
    op.drop_index("ix_signal_tallies_village_code", table_name="signal_tallies")
    op.drop_table("signal_tallies")
