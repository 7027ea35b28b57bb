"""identification: causes and plans — the measure catalogue, household plans (一户一策) with
their measures and progress, and the projects of village development plans

Revision ID: 20261204_0018
Revises: 20261204_0017
Create Date: 2026-12-05 00:01:42.230266
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0018"
down_revision = "20261204_0017"
branch_labels = None
depends_on = None

# The county-keyed tables, in the order Citus places them (a table after those it refers to).
TABLES = ("village_projects", "household_plans", "plan_measures", "plan_progress")


def upgrade() -> None:
    citus.create_table('plan_measure_kinds',
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('label_zh', sa.String(length=60), nullable=False),
    sa.Column('label_en', sa.String(length=80), nullable=False),
    sa.Column('causes', sa.String(length=80), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_plan_measure_kinds')),
    info={'distribution': 'reference'}
    )
    citus.create_table('village_projects',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('budget', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("category IN ('infrastructure', 'industry', 'culture')", name=op.f('ck_village_projects_category')),
    sa.CheckConstraint("status IN ('planned', 'funded', 'building', 'done', 'dropped')", name=op.f('ck_village_projects_status')),
    sa.CheckConstraint('budget >= 0', name=op.f('ck_village_projects_budget')),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_village_projects_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_village_projects')),
    sa.UniqueConstraint('county_code', 'village_code', 'year', 'name', name=op.f('uq_village_projects_county_code_village_code_year_name'))
    )
    op.create_index('ix_village_projects_village_year', 'village_projects', ['village_code', 'year'])

    citus.create_table('household_plans',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('household_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('goal', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_code', 'household_id'], ['households.county_code', 'households.id'], name=op.f('fk_household_plans_county_code_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_household_plans_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_household_plans')),
    sa.UniqueConstraint('county_code', 'household_id', name=op.f('uq_household_plans_county_code_household_id'))
    )
    op.create_index('ix_household_plans_village_code', 'household_plans', ['village_code'])

    citus.create_table('plan_measures',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('plan_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('result', sa.String(length=500), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.CheckConstraint("status <> 'done' OR (result IS NOT NULL AND completed_on IS NOT NULL)", name=op.f('ck_plan_measures_done')),
    sa.CheckConstraint("status IN ('planned', 'doing', 'done', 'dropped')", name=op.f('ck_plan_measures_status')),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_plan_measures_amount')),
    sa.ForeignKeyConstraint(['county_code', 'plan_id'], ['household_plans.county_code', 'household_plans.id'], name=op.f('fk_plan_measures_county_code_plan_id_household_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kind'], ['plan_measure_kinds.code'], name=op.f('fk_plan_measures_kind_plan_measure_kinds')),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_plan_measures_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_plan_measures'))
    )
    op.create_index('ix_plan_measures_plan', 'plan_measures', ['county_code', 'plan_id'])
    op.create_index('ix_plan_measures_village_deadline', 'plan_measures', ['village_code', 'deadline'])

    citus.create_table('plan_progress',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('measure_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('entry_date', sa.Date(), nullable=False),
    sa.Column('percent', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('percent BETWEEN 0 AND 100', name=op.f('ck_plan_progress_percent')),
    sa.ForeignKeyConstraint(['county_code', 'measure_id'], ['plan_measures.county_code', 'plan_measures.id'], name=op.f('fk_plan_progress_county_code_measure_id_plan_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_plan_progress_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_plan_progress'))
    )
    op.create_index('ix_plan_progress_measure', 'plan_progress', ['county_code', 'measure_id'])
    op.create_index('ix_plan_progress_village_code', 'plan_progress', ['village_code'])
    if op.get_bind().dialect.name == "postgresql":
        # Ids come from core.ids.allocate: a sequence per table on PostgreSQL.
        for table in TABLES:
            op.execute(f"CREATE SEQUENCE {table}_id_seq")
    citus.distribute(reference=["plan_measure_kinds"], distributed=["village_projects", "household_plans", "plan_measures", "plan_progress"])



def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP SEQUENCE IF EXISTS {table}_id_seq")
    op.drop_index('ix_plan_progress_village_code', table_name='plan_progress')
    op.drop_index('ix_plan_progress_measure', table_name='plan_progress')

    op.drop_table('plan_progress')
    op.drop_index('ix_plan_measures_village_deadline', table_name='plan_measures')
    op.drop_index('ix_plan_measures_plan', table_name='plan_measures')

    op.drop_table('plan_measures')
    op.drop_index('ix_household_plans_village_code', table_name='household_plans')

    op.drop_table('household_plans')
    op.drop_index('ix_village_projects_village_year', table_name='village_projects')

    op.drop_table('village_projects')
    op.drop_table('plan_measure_kinds')
