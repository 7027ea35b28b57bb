"""identification: reference incomes of a household survey (targeting quality)

Revision ID: 20261204_0019
Revises: 20261204_0018
Create Date: 2026-12-05 00:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0019"
down_revision = "20261204_0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    citus.create_table(
        "reference_incomes",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("import_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("row_number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("household_no", sa.String(length=30), nullable=True),
        sa.Column("id_hash", sa.String(length=64), nullable=True),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("income_per_head", sa.Numeric(14, 2), nullable=False),
        sa.PrimaryKeyConstraint("county_code", "import_id", "row_number", name=op.f("pk_reference_incomes")),
    )
    op.create_index("ix_reference_incomes_village_code", "reference_incomes", ["village_code"])
    op.create_index("ix_reference_incomes_household_no", "reference_incomes", ["county_code", "household_no"])
    op.create_index("ix_reference_incomes_id_hash", "reference_incomes", ["county_code", "id_hash"])
    citus.distribute(distributed=["reference_incomes"])


def downgrade() -> None:
    op.drop_index("ix_reference_incomes_id_hash", table_name="reference_incomes")
    op.drop_index("ix_reference_incomes_household_no", table_name="reference_incomes")
    op.drop_index("ix_reference_incomes_village_code", table_name="reference_incomes")
    op.drop_table("reference_incomes")
