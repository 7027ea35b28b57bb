"""selection: helper assignments (帮扶责任人), one open per household, with their history

Revision ID: 20261204_0013
Revises: 20261204_0012
Create Date: 2026-12-04 22:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0013"
down_revision = "20261204_0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    citus.create_table(
        "helper_assignments",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("cadre_id", sa.BigInteger(), nullable=True),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=200), nullable=True),
        sa.CheckConstraint("(cadre_id IS NULL) <> (account_id IS NULL)", name=op.f("ck_helper_assignments_one_helper")),
        sa.ForeignKeyConstraint(
            ["county_code", "cadre_id"],
            ["cadres.county_code", "cadres.id"],
            name=op.f("fk_helper_assignments_county_code_cadre_id_cadres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["county_code", "household_id"],
            ["households.county_code", "households.id"],
            name=op.f("fk_helper_assignments_county_code_household_id_households"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["village_code"], ["divisions.code"], name=op.f("fk_helper_assignments_village_code_divisions")
        ),
        sa.PrimaryKeyConstraint("county_code", "id", name=op.f("pk_helper_assignments")),
    )
    op.create_index("ix_helper_assignments_id", "helper_assignments", ["id"])
    op.create_index("ix_helper_assignments_village_code", "helper_assignments", ["village_code"])
    op.create_index("ix_helper_assignments_cadre", "helper_assignments", ["county_code", "cadre_id"])
    op.create_index(
        "ix_helper_assignments_one_open",
        "helper_assignments",
        ["county_code", "household_id"],
        unique=True,
        postgresql_where=sa.text("end_date IS NULL"),
        sqlite_where=sa.text("end_date IS NULL"),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Ids come from core.ids.allocate: a sequence on PostgreSQL.
        op.execute("CREATE SEQUENCE helper_assignments_id_seq")
    citus.distribute(distributed=["helper_assignments"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS helper_assignments_id_seq")
    op.drop_index("ix_helper_assignments_one_open", table_name="helper_assignments")
    op.drop_index("ix_helper_assignments_cadre", table_name="helper_assignments")
    op.drop_index("ix_helper_assignments_village_code", table_name="helper_assignments")
    op.drop_index("ix_helper_assignments_id", table_name="helper_assignments")
    op.drop_table("helper_assignments")
