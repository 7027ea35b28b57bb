"""indexes on id alone for rows opened by their id

Tables keyed by (county_code, id) are opened by id alone from pages and the API (ids are
unique per table across counties); without an index on id such a lookup scans the whole
table on a national register.

Revision ID: 20261123_0007
Revises: 20261123_0006
Create Date: 2026-11-23 21:00:00
"""
from __future__ import annotations

from alembic import op

revision = "20261123_0007"
down_revision = "20261123_0006"
branch_labels = None
depends_on = None

TABLES = ("cadres", "cadre_postings", "households", "members", "village_officials")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(op.f(f"ix_{table}_id"), table, ["id"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(op.f(f"ix_{table}_id"), table_name=table)
