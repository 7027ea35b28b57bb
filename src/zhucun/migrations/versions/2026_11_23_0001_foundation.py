"""foundation: divisions, accounts, units, audit trail

Revision ID: 20261123_0001
Revises:
Create Date: 2026-11-23 17:38:16.202566
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zhucun.migrations import citus

revision = '20261123_0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    citus.create_table('audit_entries',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=150), nullable=False),
    sa.Column('via', sa.String(length=10), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('action', sa.String(length=80), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=80), nullable=True),
    sa.Column('division_code', sa.String(length=12), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('county_code', 'seq', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_entries_entity', ['entity', 'entity_id'], unique=False)

    citus.create_table('audit_heads',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('county_code', name=op.f('pk_audit_heads'))
    )
    citus.create_table('divisions',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.Column('urban_rural_code', sa.String(length=3), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('checkin_radius_m', sa.Integer(), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.Column('collective_income', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('is_poor_village', sa.Boolean(), nullable=False),
    sa.Column('is_exited', sa.Boolean(), nullable=False),
    sa.Column('exited_year', sa.Integer(), nullable=True),
    sa.Column('is_key_village', sa.Boolean(), nullable=False),
    sa.Column('is_weak_branch', sa.Boolean(), nullable=False),
    sa.Column('is_relocation_site', sa.Boolean(), nullable=False),
    sa.Column('is_ethnic_area', sa.Boolean(), nullable=False),
    sa.Column('is_western', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("level in ('province','prefecture','county','township','village')", name=op.f('ck_divisions_level')),
    sa.CheckConstraint('length(code) = 12', name=op.f('ck_divisions_code_length')),
    sa.ForeignKeyConstraint(['parent_code'], ['divisions.code'], name=op.f('fk_divisions_parent_code_divisions')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_divisions')),
    info={'distribution': 'reference'}
    )
    with op.batch_alter_table('divisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_divisions_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_divisions_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_divisions_parent_code'), ['parent_code'], unique=False)

    citus.create_table('login_throttle',
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('first_failure_at', sa.DateTime(), nullable=True),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('username', name=op.f('pk_login_throttle')),
    info={'distribution': 'local'}
    )
    citus.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('level', sa.String(length=12), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("kind in ('government','state_firm','public_institution','university')", name=op.f('ck_units_kind')),
    sa.CheckConstraint("level in ('central','provincial','city','county')", name=op.f('ck_units_level')),
    sa.ForeignKeyConstraint(['division_code'], ['divisions.code'], name=op.f('fk_units_division_code_divisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    info={'distribution': 'reference'}
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_division_code'), ['division_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_name'), ['name'], unique=False)

    citus.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('must_change_password', sa.Boolean(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('password_changed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['division_code'], ['divisions.code'], name=op.f('fk_users_division_code_divisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username')),
    info={'distribution': 'local'}
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_division_code'), ['division_code'], unique=False)

    citus.create_table('village_groups',
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('households', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_village_groups_village_code_divisions')),
    sa.PrimaryKeyConstraint('village_code', 'number', name=op.f('pk_village_groups')),
    info={'distribution': 'reference'}
    )
    citus.create_table('auth_sessions',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('csrf_token', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('ip', sa.String(length=45), nullable=True),
    sa.Column('user_agent', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_auth_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_auth_sessions')),
    info={'distribution': 'local'}
    )
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auth_sessions_user_id'), ['user_id'], unique=False)

    citus.create_table('role_grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['division_code'], ['divisions.code'], name=op.f('fk_role_grants_division_code_divisions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_role_grants_unit_id_units')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_grants_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_grants')),
    sa.UniqueConstraint('user_id', 'role', 'division_code', 'unit_id', name=op.f('uq_role_grants_user_id_role_division_code_unit_id')),
    info={'distribution': 'local'}
    )
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_grants_user_id'), ['user_id'], unique=False)

    citus.create_table('unit_pairings',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['division_code'], ['divisions.code'], name=op.f('fk_unit_pairings_division_code_divisions')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_unit_pairings_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', 'division_code', name=op.f('pk_unit_pairings')),
    info={'distribution': 'reference'}
    )
    citus.distribute(
        reference=["divisions", "village_groups", "units", "unit_pairings"],
        distributed=["audit_entries", "audit_heads"],
    )


def downgrade() -> None:
    op.drop_table('unit_pairings')
    with op.batch_alter_table('role_grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_grants_user_id'))

    op.drop_table('role_grants')
    with op.batch_alter_table('auth_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auth_sessions_user_id'))

    op.drop_table('auth_sessions')
    op.drop_table('village_groups')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_division_code'))

    op.drop_table('users')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_name'))
        batch_op.drop_index(batch_op.f('ix_units_division_code'))

    op.drop_table('units')
    op.drop_table('login_throttle')
    with op.batch_alter_table('divisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_divisions_parent_code'))
        batch_op.drop_index(batch_op.f('ix_divisions_name'))
        batch_op.drop_index(batch_op.f('ix_divisions_level'))

    op.drop_table('divisions')
    op.drop_table('audit_heads')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_entity')
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
