"""identification: procedure versions, cases, dual signatures, public notices, objections

Revision ID: 20261204_0011
Revises: 20261204_0010
Create Date: 2026-11-23 20:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = "20261204_0011"
down_revision = "20261204_0010"
branch_labels = None
depends_on = None

# Tables whose ids come from core.ids.allocate (a sequence each on PostgreSQL).
SEQUENCED = ("cases", "case_notices", "case_objections")


def upgrade() -> None:
    citus.create_table('procedure_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('province', sa.String(length=2), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure_versions')),
    sa.UniqueConstraint('kind', 'province', 'year', 'version', name=op.f('uq_procedure_versions_kind_province_year_version')),
    info={'distribution': 'reference'}
    )
    citus.create_table('cases',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('procedure_id', sa.Integer(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('household_id', sa.BigInteger(), nullable=True),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('step_entered_on', sa.Date(), nullable=False),
    sa.Column('notice_ends_on', sa.Date(), nullable=True),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('related', sa.Boolean(), nullable=False),
    sa.Column('related_path', sa.Text(), nullable=True),
    sa.Column('escalated', sa.Boolean(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_code', 'household_id'], ['households.county_code', 'households.id'], name=op.f('fk_cases_county_code_household_id_households')),
    sa.ForeignKeyConstraint(['procedure_id'], ['procedure_versions.id'], name=op.f('fk_cases_procedure_id_procedure_versions')),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_cases_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_cases'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_id', ['id'], unique=False)
        batch_op.create_index('ix_cases_status_step', ['status', 'step'], unique=False)
        batch_op.create_index('ix_cases_village_code_id', ['village_code', 'id'], unique=False)

    citus.create_table('case_notices',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('interrupted', sa.Boolean(), nullable=False),
    sa.Column('public', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['county_code', 'case_id'], ['cases.county_code', 'cases.id'], name=op.f('fk_case_notices_county_code_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_case_notices'))
    )
    with op.batch_alter_table('case_notices', schema=None) as batch_op:
        batch_op.create_index('ix_case_notices_id', ['id'], unique=False)
        batch_op.create_index('ix_case_notices_village_code_ends_on', ['village_code', 'ends_on'], unique=False)

    citus.create_table('case_signatures',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('round', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('step', sa.String(length=30), nullable=False),
    sa.Column('body', sa.String(length=20), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('account_name', sa.String(length=150), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_code', 'case_id'], ['cases.county_code', 'cases.id'], name=op.f('fk_case_signatures_county_code_case_id_cases'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_code', 'case_id', 'round', 'step', 'body', name=op.f('pk_case_signatures')),
    sa.UniqueConstraint('county_code', 'case_id', 'round', 'account_id', name='uq_case_signatures_one_per_account')
    )
    citus.create_table('case_objections',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('notice_id', sa.BigInteger(), nullable=False),
    sa.Column('case_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=True),
    sa.Column('contact', sa.String(length=50), nullable=True),
    sa.Column('address_hash', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['county_code', 'notice_id'], ['case_notices.county_code', 'case_notices.id'], name=op.f('fk_case_objections_county_code_notice_id_case_notices')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_case_objections'))
    )
    with op.batch_alter_table('case_objections', schema=None) as batch_op:
        batch_op.create_index('ix_case_objections_address_at', ['address_hash', 'received_at'], unique=False)
        batch_op.create_index('ix_case_objections_id', ['id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        for table in SEQUENCED:
            op.execute(f"CREATE SEQUENCE {table}_id_seq")
    citus.distribute(
        reference=["procedure_versions"],
        distributed=["cases", "case_notices", "case_signatures", "case_objections"],
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in SEQUENCED:
            op.execute(f"DROP SEQUENCE IF EXISTS {table}_id_seq")
    with op.batch_alter_table('case_objections', schema=None) as batch_op:
        batch_op.drop_index('ix_case_objections_id')
        batch_op.drop_index('ix_case_objections_address_at')

    op.drop_table('case_objections')
    op.drop_table('case_signatures')
    with op.batch_alter_table('case_notices', schema=None) as batch_op:
        batch_op.drop_index('ix_case_notices_village_code_ends_on')
        batch_op.drop_index('ix_case_notices_id')

    op.drop_table('case_notices')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index('ix_cases_village_code_id')
        batch_op.drop_index('ix_cases_status_step')
        batch_op.drop_index('ix_cases_id')

    op.drop_table('cases')
    op.drop_table('procedure_versions')
