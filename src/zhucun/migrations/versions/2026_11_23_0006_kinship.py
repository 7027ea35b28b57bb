"""kinship: registrations reviewed as not duplicates

Revision ID: 20261123_0006
Revises: 20261123_0003
Create Date: 2026-11-23 18:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261123_0006"
down_revision = "20261123_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    citus.create_table(
        "duplicate_reviews",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("member_id", sa.BigInteger(), nullable=False),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=150), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["county_code", "member_id"], ["members.county_code", "members.id"],
                                name=op.f("fk_duplicate_reviews_county_code_member_id_members"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("county_code", "member_id", name=op.f("pk_duplicate_reviews")),
    )
    citus.distribute(distributed=["duplicate_reviews"])


def downgrade() -> None:
    op.drop_table("duplicate_reviews")
