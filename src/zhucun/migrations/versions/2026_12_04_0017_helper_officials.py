"""selection: village officials as helpers — helper_assignments.official_id

Revision ID: 20261204_0017
Revises: 20261204_0016
Create Date: 2026-12-05 00:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "20261204_0017"
down_revision = "20261204_0016"
branch_labels = None
depends_on = None

TABLE = "helper_assignments"
CHECK = "ck_helper_assignments_one_helper"
FK = "fk_helper_assignments_county_code_official_id_village_officials"
ONE_OF_THREE = (
    "(CASE WHEN cadre_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN account_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN official_id IS NULL THEN 0 ELSE 1 END) = 1"
)
ONE_OF_TWO = "(cadre_id IS NULL) <> (account_id IS NULL)"
PARTIAL = {"postgresql_where": sa.text("end_date IS NULL"), "sqlite_where": sa.text("end_date IS NULL")}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if _sqlite():
        # SQLite changes a CHECK only by copying the table: its indexes are dropped first and
        # made again afterwards, so that the partial unique index keeps its WHERE clause.
        _drop_indexes()
        with op.batch_alter_table(TABLE, recreate="always") as batch:
            batch.add_column(sa.Column("official_id", sa.BigInteger(), nullable=True))
            batch.drop_constraint(op.f(CHECK), type_="check")
            batch.create_check_constraint(op.f(CHECK), sa.text(ONE_OF_THREE))
            batch.create_foreign_key(
                op.f(FK), "village_officials", ["county_code", "official_id"], ["county_code", "id"], ondelete="CASCADE"
            )
        _create_indexes()
    else:
        op.add_column(TABLE, sa.Column("official_id", sa.BigInteger(), nullable=True))
        op.drop_constraint(op.f(CHECK), TABLE, type_="check")
        op.create_check_constraint(op.f(CHECK), TABLE, sa.text(ONE_OF_THREE))
        # Both tables are distributed by county and co-located: the key keeps county_code first.
        op.create_foreign_key(
            op.f(FK), TABLE, "village_officials", ["county_code", "official_id"], ["county_code", "id"], ondelete="CASCADE"
        )
    op.create_index("ix_helper_assignments_official", TABLE, ["county_code", "official_id"])


def downgrade() -> None:
    op.drop_index("ix_helper_assignments_official", table_name=TABLE)
    op.execute(sa.text(f"DELETE FROM {TABLE} WHERE official_id IS NOT NULL"))
    if _sqlite():
        _drop_indexes()
        with op.batch_alter_table(TABLE, recreate="always") as batch:
            batch.drop_constraint(op.f(FK), type_="foreignkey")
            batch.drop_constraint(op.f(CHECK), type_="check")
            batch.drop_column("official_id")
            batch.create_check_constraint(op.f(CHECK), sa.text(ONE_OF_TWO))
        _create_indexes()
    else:
        op.drop_constraint(op.f(FK), TABLE, type_="foreignkey")
        op.drop_constraint(op.f(CHECK), TABLE, type_="check")
        op.drop_column(TABLE, "official_id")
        op.create_check_constraint(op.f(CHECK), TABLE, sa.text(ONE_OF_TWO))


def _drop_indexes() -> None:
    for name in ("ix_helper_assignments_one_open", "ix_helper_assignments_cadre", "ix_helper_assignments_village_code"):
        op.drop_index(name, table_name=TABLE)
    op.drop_index("ix_helper_assignments_id", table_name=TABLE)


def _create_indexes() -> None:
    op.create_index("ix_helper_assignments_id", TABLE, ["id"])
    op.create_index("ix_helper_assignments_village_code", TABLE, ["village_code"])
    op.create_index("ix_helper_assignments_cadre", TABLE, ["county_code", "cadre_id"])
    op.create_index("ix_helper_assignments_one_open", TABLE, ["county_code", "household_id"], unique=True, **PARTIAL)
