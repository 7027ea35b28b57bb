"""registry: a person's household, village and status read from an index alone — members
(county_code, id, household_id, village_code, status) — so that the favouritism report's
walk over kinship, which looks up every official, housemate and relative it reaches by
(county, id), reads no table page (on the national register about two million lookups,
each a random page of the wide members table otherwise). The other columns are
INCLUDEd (PostgreSQL): as key columns SQLite's planner took the covering index for a
household's members too, matching the county alone — a scan of the county per lookup. On
SQLite the index is (county_code, id) only, which it then leaves to the primary key.

Revision ID: 20261204_0021
Revises: 20261204_0020
Create Date: 2026-12-05 04:00:00
"""
from __future__ import annotations

from alembic import op

revision = "20261204_0021"
down_revision = "20261204_0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.create_index(
            "ix_members_person",
            ["county_code", "id"],
            unique=False,
            postgresql_include=["household_id", "village_code", "status"],
        )


def downgrade() -> None:
    with op.batch_alter_table("members", schema=None) as batch_op:
        batch_op.drop_index("ix_members_person")
