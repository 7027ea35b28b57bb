"""monitoring: unavoidable spending per household and year, department alerts, escalation level

Revision ID: 20261204_0016
Revises: 20261204_0015
Create Date: 2026-12-04 23:59:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0016"
down_revision = "20261204_0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("household_incomes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("unavoidable_spending", sa.Numeric(14, 2), nullable=False, server_default="0")
        )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalated_to", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("escalated_on", sa.Date(), nullable=True))
    citus.create_table(
        "department_alerts",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("household_id", sa.BigInteger(), nullable=True),
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("id_masked", sa.String(length=18), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("department", sa.String(length=2), nullable=False),
        sa.Column("alert_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(14, 2), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=True),
        sa.Column("monitored", sa.Boolean(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"], ["import_batches.id"], name=op.f("fk_department_alerts_import_id_import_batches")
        ),
        sa.PrimaryKeyConstraint("county_code", "id", name=op.f("pk_department_alerts")),
    )
    op.create_index("ix_department_alerts_id", "department_alerts", ["id"])
    op.create_index("ix_department_alerts_household", "department_alerts", ["county_code", "household_id"])
    op.create_index("ix_department_alerts_division_code", "department_alerts", ["division_code"])
    if op.get_bind().dialect.name == "postgresql":
        # Ids come from core.ids.allocate: a sequence on PostgreSQL.
        op.execute("CREATE SEQUENCE department_alerts_id_seq")
    citus.distribute(distributed=["department_alerts"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS department_alerts_id_seq")
    op.drop_index("ix_department_alerts_division_code", table_name="department_alerts")
    op.drop_index("ix_department_alerts_household", table_name="department_alerts")
    op.drop_index("ix_department_alerts_id", table_name="department_alerts")
    op.drop_table("department_alerts")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("escalated_on")
        batch_op.drop_column("escalated_to")
    with op.batch_alter_table("household_incomes", schema=None) as batch_op:
        batch_op.drop_column("unavoidable_spending")
