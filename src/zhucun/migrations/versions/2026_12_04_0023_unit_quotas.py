"""selection: each unit's quota of cadres sent for a term, per county

Revision ID: 20261204_0023
Revises: 20261204_0022
Create Date: 2026-12-05 07:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0023"
down_revision = "20261204_0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    citus.create_table(
        "selection_unit_quotas",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("term", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("quota >= 1", name=op.f("ck_selection_unit_quotas_quota_positive")),
        sa.ForeignKeyConstraint(
            ["division_code"], ["divisions.code"], name=op.f("fk_selection_unit_quotas_division_code_divisions")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_selection_unit_quotas_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("county_code", "term", "unit_id", name=op.f("pk_selection_unit_quotas")),
    )
    op.create_index("ix_selection_unit_quotas_division_code", "selection_unit_quotas", ["division_code"])
    citus.distribute(distributed=["selection_unit_quotas"])


def downgrade() -> None:
    op.drop_index("ix_selection_unit_quotas_division_code", table_name="selection_unit_quotas")
    op.drop_table("selection_unit_quotas")
