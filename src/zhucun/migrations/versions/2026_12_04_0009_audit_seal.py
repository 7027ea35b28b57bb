"""a seal on each audit chain head: an HMAC under a key kept outside the database

Heads that exist before this revision stay unsealed (the key is not in the database, so
no migration can compute it): ``zhucun audit verify`` reports them until ``zhucun audit
seal`` has checked their chains and sealed them.

Revision ID: 20261204_0009
Revises: 20261204_0008
Create Date: 2026-12-04 21:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261204_0009"
down_revision = "20261204_0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_heads", sa.Column("mac", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_heads") as batch:
        batch.drop_column("mac")
