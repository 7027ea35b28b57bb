"""registry: the declared kin read from the second member's side through a covering index
(county_code, member_b, member_a), as the primary key covers the first side — SQLite read
them through the primary key's county prefix instead (the favouritism report's walk over
kinship, 40 s for 150 villages), and PostgreSQL can answer both sides from the index alone

Revision ID: 20261204_0020
Revises: 20261204_0019
Create Date: 2026-12-05 01:15:00
"""
from __future__ import annotations

from alembic import op

revision = "20261204_0020"
down_revision = "20261204_0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("kin_relations", schema=None) as batch_op:
        batch_op.create_index("ix_kin_relations_b_a", ["county_code", "member_b", "member_a"], unique=False)
        batch_op.drop_index("ix_kin_relations_b")


def downgrade() -> None:
    with op.batch_alter_table("kin_relations", schema=None) as batch_op:
        batch_op.create_index("ix_kin_relations_b", ["county_code", "member_b"], unique=False)
        batch_op.drop_index("ix_kin_relations_b_a")
