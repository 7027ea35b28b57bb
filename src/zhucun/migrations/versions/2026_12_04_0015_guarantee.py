"""selection: incentive and guarantee — work funds and their spending, accident insurance
policies, yearly health checks, and the provinces' guarantee amounts

Revision ID: 20261204_0015
Revises: 20261204_0014
Create Date: 2026-12-05 00:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0015"
down_revision = "20261204_0014"
branch_labels = None
depends_on = None

MONEY = sa.Numeric(12, 2)
SEQUENCED = ("guarantee_funds", "guarantee_spendings", "guarantee_policies", "guarantee_health_checks")


def _key(table: str) -> list[sa.SchemaItem]:
    return [
        sa.Column("county_code", sa.String(length=6), nullable=False),
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("cadre_id", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["county_code", "cadre_id"],
            ["cadres.county_code", "cadres.id"],
            name=op.f(f"fk_{table}_county_code_cadre_id_cadres"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("county_code", "id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    citus.create_table(
        "guarantee_rule_sets",
        sa.Column("province", sa.String(length=2), nullable=False),
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("province", "year", name=op.f("pk_guarantee_rule_sets")),
        info={"distribution": "reference"},
    )
    citus.create_table(
        "guarantee_funds",
        *_key("guarantee_funds"),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("village_code", sa.String(length=12), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("spent", MONEY, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('secretary', 'team')", name=op.f("ck_guarantee_funds_kind")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_guarantee_funds_amount")),
        sa.CheckConstraint("spent >= 0 AND spent <= amount", name=op.f("ck_guarantee_funds_within")),
        sa.ForeignKeyConstraint(
            ["village_code"], ["divisions.code"], name=op.f("fk_guarantee_funds_village_code_divisions")
        ),
    )
    op.create_index("ix_guarantee_funds_id", "guarantee_funds", ["id"])
    op.create_index("ix_guarantee_funds_cadre", "guarantee_funds", ["county_code", "cadre_id"])
    for name, column, kind in (("secretary", "cadre_id", "secretary"), ("team", "village_code", "team")):
        op.create_index(
            f"ix_guarantee_funds_one_{name}",
            "guarantee_funds",
            ["county_code", "year", column],
            unique=True,
            postgresql_where=sa.text(f"kind = '{kind}'"),
            sqlite_where=sa.text(f"kind = '{kind}'"),
        )
    citus.create_table(
        "guarantee_spendings",
        *_key("guarantee_spendings"),
        sa.Column("fund_id", sa.BigInteger(), nullable=False),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=False),
        sa.Column("receipt", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_guarantee_spendings_amount")),
        sa.ForeignKeyConstraint(
            ["county_code", "fund_id"],
            ["guarantee_funds.county_code", "guarantee_funds.id"],
            name=op.f("fk_guarantee_spendings_county_code_fund_id_guarantee_funds"),
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_guarantee_spendings_id", "guarantee_spendings", ["id"])
    op.create_index("ix_guarantee_spendings_fund", "guarantee_spendings", ["county_code", "fund_id"])
    citus.create_table(
        "guarantee_policies",
        *_key("guarantee_policies"),
        sa.Column("insurer", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("sum_insured", MONEY, nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_guarantee_policies_dates")),
        sa.CheckConstraint("sum_insured > 0", name=op.f("ck_guarantee_policies_sum_insured")),
        sa.UniqueConstraint(
            "county_code", "insurer", "number", name=op.f("uq_guarantee_policies_county_code_insurer_number")
        ),
    )
    op.create_index("ix_guarantee_policies_id", "guarantee_policies", ["id"])
    op.create_index("ix_guarantee_policies_cadre", "guarantee_policies", ["county_code", "cadre_id"])
    op.create_index("ix_guarantee_policies_ends_on", "guarantee_policies", ["county_code", "ends_on"])
    citus.create_table(
        "guarantee_health_checks",
        *_key("guarantee_health_checks"),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.Column("result", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("NOT done OR checked_on IS NOT NULL", name=op.f("ck_guarantee_health_checks_done_dated")),
        sa.UniqueConstraint(
            "county_code", "cadre_id", "year", name=op.f("uq_guarantee_health_checks_county_code_cadre_id_year")
        ),
    )
    op.create_index("ix_guarantee_health_checks_id", "guarantee_health_checks", ["id"])
    if op.get_bind().dialect.name == "postgresql":
        # Ids come from core.ids.allocate: a sequence per table on PostgreSQL.
        for table in SEQUENCED:
            op.execute(f"CREATE SEQUENCE {table}_id_seq")
    citus.distribute(
        reference=["guarantee_rule_sets"],
        distributed=["guarantee_funds", "guarantee_spendings", "guarantee_policies", "guarantee_health_checks"],
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SEQUENCED:
            op.execute(f"DROP SEQUENCE IF EXISTS {table}_id_seq")
    for table in ("guarantee_health_checks", "guarantee_policies", "guarantee_spendings", "guarantee_funds"):
        op.drop_table(table)
    op.drop_table("guarantee_rule_sets")
