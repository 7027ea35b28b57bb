"""selection: terms of postings, handover checklists, commendation/promotion/recall lists

Revision ID: 20261204_0014
Revises: 20261204_0013
Create Date: 2026-12-05 00:01:19.387634
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0014"
down_revision = "20261204_0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    citus.create_table(
        "cadre_list_entries",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("term", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("cadre_id", sa.BigInteger(), nullable=False),
        sa.Column("division_code", sa.String(length=12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("source_ref", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_code", "cadre_id"],
            ["cadres.county_code", "cadres.id"],
            name=op.f("fk_cadre_list_entries_county_code_cadre_id_cadres"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["division_code"], ["divisions.code"], name=op.f("fk_cadre_list_entries_division_code_divisions")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_cadre_list_entries_unit_id_units")),
        sa.PrimaryKeyConstraint("county_code", "id", name=op.f("pk_cadre_list_entries")),
        sa.UniqueConstraint("county_code", "term", "kind", "cadre_id", name="uq_cadre_list_entries_once"),
    )
    with op.batch_alter_table("cadre_list_entries", schema=None) as batch_op:
        batch_op.create_index("ix_cadre_list_entries_division_code", ["division_code"], unique=False)

    citus.create_table(
        "handovers",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("posting_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("cadre_id", sa.BigInteger(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_by", sa.String(length=150), nullable=True),
        sa.ForeignKeyConstraint(
            ["county_code", "posting_id"],
            ["cadre_postings.county_code", "cadre_postings.id"],
            name=op.f("fk_handovers_county_code_posting_id_cadre_postings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_handovers_unit_id_units")),
        sa.ForeignKeyConstraint(["village_code"], ["divisions.code"], name=op.f("fk_handovers_village_code_divisions")),
        sa.PrimaryKeyConstraint("county_code", "posting_id", name=op.f("pk_handovers")),
    )
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.create_index("ix_handovers_village_code", ["village_code"], unique=False)

    citus.create_table(
        "posting_terms",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("posting_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("term", sa.Integer(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_code", "posting_id"],
            ["cadre_postings.county_code", "cadre_postings.id"],
            name=op.f("fk_posting_terms_county_code_posting_id_cadre_postings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["village_code"], ["divisions.code"], name=op.f("fk_posting_terms_village_code_divisions")
        ),
        sa.PrimaryKeyConstraint("county_code", "posting_id", name=op.f("pk_posting_terms")),
    )
    with op.batch_alter_table("posting_terms", schema=None) as batch_op:
        batch_op.create_index("ix_posting_terms_village_code", ["village_code"], unique=False)

    citus.create_table(
        "handover_ticks",
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("posting_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("item", sa.String(length=20), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("ticked_by", sa.String(length=150), nullable=False),
        sa.Column("ticked_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["county_code", "posting_id"],
            ["handovers.county_code", "handovers.posting_id"],
            name=op.f("fk_handover_ticks_county_code_posting_id_handovers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("county_code", "posting_id", "item", name=op.f("pk_handover_ticks")),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Ids come from core.ids.allocate: a sequence on PostgreSQL.
        op.execute("CREATE SEQUENCE cadre_list_entries_id_seq")
    citus.distribute(distributed=["posting_terms", "handovers", "handover_ticks", "cadre_list_entries"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE IF EXISTS cadre_list_entries_id_seq")
    op.drop_table("handover_ticks")
    with op.batch_alter_table("posting_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_posting_terms_village_code")

    op.drop_table("posting_terms")
    with op.batch_alter_table("handovers", schema=None) as batch_op:
        batch_op.drop_index("ix_handovers_village_code")

    op.drop_table("handovers")
    with op.batch_alter_table("cadre_list_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_cadre_list_entries_division_code")

    op.drop_table("cadre_list_entries")
