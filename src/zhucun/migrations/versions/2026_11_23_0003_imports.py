"""imports: the stored errors of refused and checked imports

Revision ID: 20261123_0003
Revises: 20261123_0002
Create Date: 2026-11-23 19:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261123_0003"
down_revision = "20261123_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    citus.create_table(
        "import_problems",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=True),
        sa.Column("column_letter", sa.String(length=3), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("message_zh", sa.Text(), nullable=False),
        sa.Column("message_en", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["import_batches.id"],
                                name=op.f("fk_import_problems_import_id_import_batches"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("import_id", "seq", name=op.f("pk_import_problems")),
        info={"distribution": "local"},
    )
    # Local, on the coordinator: the problems of an import are only read by its id, an import
    # may span counties (no county key to shard by), and as a reference table every refused
    # row would be written to every node in a two-phase commit.
    citus.distribute()


def downgrade() -> None:
    op.drop_table("import_problems")
