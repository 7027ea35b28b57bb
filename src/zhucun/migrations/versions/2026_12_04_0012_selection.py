"""selection: rule sets, marked villages, nominations, matching runs and assignments; cadres' discipline date

Revision ID: 20261204_0012
Revises: 20261204_0011
Create Date: 2026-11-23 22:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0012"
down_revision = "20261204_0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cadres", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discipline_until", sa.Date(), nullable=True))
    citus.create_table(
        "selection_rule_sets",
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("province", "year", name=op.f("pk_selection_rule_sets")),
        info={"distribution": "reference"},
    )
    citus.create_table(
        "selection_villages",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("term", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("team_size", sa.Integer(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["village_code"], ["divisions.code"], name=op.f("fk_selection_villages_village_code_divisions")),
        sa.PrimaryKeyConstraint("county_code", "term", "village_code", name=op.f("pk_selection_villages")),
    )
    op.create_index("ix_selection_villages_village_code", "selection_villages", ["village_code"])
    citus.create_table(
        "selection_nominations",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("term", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cadre_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["county_code", "cadre_id"], ["cadres.county_code", "cadres.id"], name=op.f("fk_selection_nominations_county_code_cadre_id_cadres"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["division_code"], ["divisions.code"], name=op.f("fk_selection_nominations_division_code_divisions")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_selection_nominations_unit_id_units")),
        sa.PrimaryKeyConstraint("county_code", "term", "cadre_id", name=op.f("pk_selection_nominations")),
    )
    op.create_index("ix_selection_nominations_division_code", "selection_nominations", ["division_code"])
    citus.create_table(
        "selection_runs",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("term", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("objective", sa.Float(), nullable=False),
        sa.Column("bound", sa.Float(), nullable=False),
        sa.Column("gap", sa.Float(), nullable=False),
        sa.Column("greedy_objective", sa.Float(), nullable=False),
        sa.Column("greedy_unfilled", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["division_code"], ["divisions.code"], name=op.f("fk_selection_runs_division_code_divisions")),
        sa.PrimaryKeyConstraint("county_code", "term", name=op.f("pk_selection_runs")),
    )
    citus.create_table(
        "selection_assignments",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("term", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("cadre_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("first_secretary_of", sa.String(length=12), nullable=True),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("edited", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["county_code", "cadre_id"], ["cadres.county_code", "cadres.id"], name=op.f("fk_selection_assignments_county_code_cadre_id_cadres"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["county_code", "term", "village_code"],
            ["selection_villages.county_code", "selection_villages.term", "selection_villages.village_code"],
            name=op.f("fk_selection_assignments_county_code_term_village_code_selection_villages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("county_code", "term", "cadre_id", name=op.f("pk_selection_assignments")),
        sa.UniqueConstraint("county_code", "term", "first_secretary_of", name="uq_selection_assignments_one_fs"),
    )
    op.create_index("ix_selection_assignments_village_code", "selection_assignments", ["village_code"])
    citus.distribute(
        reference=["selection_rule_sets"],
        distributed=["selection_villages", "selection_nominations", "selection_runs", "selection_assignments"],
    )


def downgrade() -> None:
    op.drop_index("ix_selection_assignments_village_code", table_name="selection_assignments")
    op.drop_table("selection_assignments")
    op.drop_table("selection_runs")
    op.drop_index("ix_selection_nominations_division_code", table_name="selection_nominations")
    op.drop_table("selection_nominations")
    op.drop_index("ix_selection_villages_village_code", table_name="selection_villages")
    op.drop_table("selection_villages")
    op.drop_table("selection_rule_sets")
    with op.batch_alter_table("cadres", schema=None) as batch_op:
        batch_op.drop_column("discipline_until")
