"""registry

Revision ID: 20261123_0002
Revises: 20261123_0001
Create Date: 2026-11-23 17:47:54.132514
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import text
from alembic import op

from zhucun.migrations import citus

# Tables whose ids are allocated in blocks (zhucun.core.ids).
SEQUENCED = ("cadres", "cadre_postings", "households", "household_benefits", "members", "village_officials",
             "registry_changes")

# zhucun.core.ids.allocate() calls it; frozen here as it was written, so that this revision never changes.
ALLOCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION zhucun_allocate(seq regclass, n bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
  first bigint;
BEGIN
  PERFORM pg_advisory_lock(hashtext(seq::text));
  BEGIN
    first := nextval(seq);
    IF n > 1 THEN
      PERFORM setval(seq, first + n - 1);
    END IF;
  EXCEPTION WHEN OTHERS THEN
    PERFORM pg_advisory_unlock(hashtext(seq::text));
    RAISE;
  END;
  PERFORM pg_advisory_unlock(hashtext(seq::text));
  RETURN first;
END $$;
"""

revision = '20261123_0002'
down_revision = '20261123_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    citus.create_table('catalogue_items',
    sa.Column('catalogue', sa.String(length=40), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('label_zh', sa.String(length=60), nullable=False),
    sa.Column('label_en', sa.String(length=80), nullable=False),
    sa.PrimaryKeyConstraint('catalogue', 'code', name=op.f('pk_catalogue_items')),
    info={'distribution': 'reference'}
    )
    citus.create_table('id_counters',
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('next_id', sa.BigInteger(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_id_counters')),
    info={'distribution': 'local'}
    )
    citus.create_table('registry_changes',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('household_id', sa.BigInteger(), nullable=True),
    sa.Column('entity', sa.String(length=20), nullable=False),
    sa.Column('entity_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=150), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_registry_changes'))
    )
    with op.batch_alter_table('registry_changes', schema=None) as batch_op:
        batch_op.create_index('ix_registry_changes_household', ['county_code', 'household_id', 'id'], unique=False)

    citus.create_table('registry_snapshots',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('frozen_at', sa.DateTime(), nullable=False),
    sa.Column('actor_name', sa.String(length=150), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('county_code', 'year', name=op.f('pk_registry_snapshots'))
    )
    citus.create_table('household_snapshots',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('household_id', sa.BigInteger(), nullable=False),
    sa.Column('household_no', sa.String(length=30), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('attribute', sa.String(length=1), nullable=False),
    sa.Column('status', sa.String(length=2), nullable=False),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('main_cause', sa.String(length=2), nullable=True),
    sa.ForeignKeyConstraint(['county_code', 'year'], ['registry_snapshots.county_code', 'registry_snapshots.year'], name=op.f('fk_household_snapshots_county_code_year_registry_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_code', 'year', 'household_id', name=op.f('pk_household_snapshots'))
    )
    citus.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('division_code', sa.String(length=12), nullable=True),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('members', sa.Integer(), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_name', sa.String(length=150), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['division_code'], ['divisions.code'], name=op.f('fk_import_batches_division_code_divisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batches')),
    info={'distribution': 'reference'}
    )
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.create_index('uq_import_batches_done_file', ['kind', 'sha256'], unique=True, postgresql_where=text("status = 'done'"), sqlite_where=text("status = 'done'"))

    citus.create_table('member_snapshots',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('member_id', sa.BigInteger(), nullable=False),
    sa.Column('household_id', sa.BigInteger(), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=True),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('relation', sa.String(length=2), nullable=False),
    sa.Column('status', sa.String(length=1), nullable=False),
    sa.ForeignKeyConstraint(['county_code', 'year'], ['registry_snapshots.county_code', 'registry_snapshots.year'], name=op.f('fk_member_snapshots_county_code_year_registry_snapshots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_code', 'year', 'member_id', name=op.f('pk_member_snapshots'))
    )
    citus.create_table('cadres',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('education', sa.String(length=2), nullable=True),
    sa.Column('speciality', sa.String(length=100), nullable=True),
    sa.Column('skills', sa.String(length=300), nullable=True),
    sa.Column('party_member', sa.Boolean(), nullable=False),
    sa.Column('party_joined', sa.Date(), nullable=True),
    sa.Column('work_started', sa.Date(), nullable=True),
    sa.Column('rank', sa.String(length=2), nullable=True),
    sa.Column('position', sa.String(length=100), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('hometown_code', sa.String(length=12), nullable=True),
    sa.Column('health', sa.String(length=2), nullable=True),
    sa.Column('division_code', sa.String(length=12), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_cipher', sa.LargeBinary(), nullable=True),
    sa.Column('id_hash', sa.String(length=64), nullable=True),
    sa.Column('id_masked', sa.String(length=18), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('ethnicity', sa.String(length=2), nullable=True),
    sa.Column('phone_cipher', sa.LargeBinary(), nullable=True),
    sa.Column('phone_masked', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['division_code'], ['divisions.code'], name=op.f('fk_cadres_division_code_divisions')),
    sa.ForeignKeyConstraint(['hometown_code'], ['divisions.code'], name=op.f('fk_cadres_hometown_code_divisions')),
    sa.ForeignKeyConstraint(['import_id'], ['import_batches.id'], name=op.f('fk_cadres_import_id_import_batches')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_cadres_unit_id_units')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_cadres')),
    sa.UniqueConstraint('county_code', 'id_hash', name=op.f('uq_cadres_county_code_id_hash'))
    )
    with op.batch_alter_table('cadres', schema=None) as batch_op:
        batch_op.create_index('ix_cadres_division_code_id', ['division_code', 'id'], unique=False)
        batch_op.create_index('ix_cadres_name', ['name'], unique=False, postgresql_ops={'name': 'text_pattern_ops'})
        batch_op.create_index('ix_cadres_unit_id', ['unit_id'], unique=False)

    citus.create_table('households',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('household_no', sa.String(length=30), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('group_number', sa.Integer(), nullable=True),
    sa.Column('head_name', sa.String(length=50), nullable=True),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('phone_cipher', sa.LargeBinary(), nullable=True),
    sa.Column('phone_masked', sa.String(length=20), nullable=True),
    sa.Column('bank_cipher', sa.LargeBinary(), nullable=True),
    sa.Column('bank_masked', sa.String(length=30), nullable=True),
    sa.Column('attribute', sa.String(length=1), nullable=False),
    sa.Column('status', sa.String(length=2), nullable=False),
    sa.Column('main_cause', sa.String(length=2), nullable=True),
    sa.Column('other_causes', sa.String(length=40), nullable=True),
    sa.Column('registered_year', sa.Integer(), nullable=True),
    sa.Column('exited_year', sa.Integer(), nullable=True),
    sa.Column('housing_safe', sa.Boolean(), nullable=True),
    sa.Column('water_safe', sa.Boolean(), nullable=True),
    sa.Column('cultivated_land_mu', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('forest_land_mu', sa.Numeric(precision=10, scale=2), nullable=True),
    sa.Column('productive_assets', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['import_id'], ['import_batches.id'], name=op.f('fk_households_import_id_import_batches')),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_households_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_households')),
    sa.UniqueConstraint('county_code', 'household_no', name=op.f('uq_households_county_code_household_no'))
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index('ix_households_household_no', ['household_no'], unique=False)
        batch_op.create_index('ix_households_head_name', ['head_name'], unique=False, postgresql_ops={'head_name': 'text_pattern_ops'})
        batch_op.create_index('ix_households_village_code_id', ['village_code', 'id'], unique=False)

    citus.create_table('cadre_postings',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('cadre_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('role', sa.String(length=1), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['county_code', 'cadre_id'], ['cadres.county_code', 'cadres.id'], name=op.f('fk_cadre_postings_county_code_cadre_id_cadres'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_cadre_postings_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_cadre_postings'))
    )
    with op.batch_alter_table('cadre_postings', schema=None) as batch_op:
        batch_op.create_index('ix_cadre_postings_cadre', ['county_code', 'cadre_id'], unique=False)
        batch_op.create_index('ix_cadre_postings_village_code', ['village_code'], unique=False)

    citus.create_table('household_benefits',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('household_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('program', sa.String(length=2), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('granted_on', sa.Date(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['county_code', 'household_id'], ['households.county_code', 'households.id'], name=op.f('fk_household_benefits_county_code_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_household_benefits_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_household_benefits'))
    )
    with op.batch_alter_table('household_benefits', schema=None) as batch_op:
        batch_op.create_index('ix_household_benefits_household', ['county_code', 'household_id'], unique=False)

    citus.create_table('household_incomes',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('household_id', sa.BigInteger(), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('wage', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('production', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('property', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('transfer', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('production_costs', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['county_code', 'household_id'], ['households.county_code', 'households.id'], name=op.f('fk_household_incomes_county_code_household_id_households'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_code', 'household_id', 'year', name=op.f('pk_household_incomes'))
    )
    citus.create_table('members',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('household_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('relation', sa.String(length=2), nullable=False),
    sa.Column('education', sa.String(length=1), nullable=True),
    sa.Column('student', sa.String(length=1), nullable=True),
    sa.Column('health', sa.String(length=1), nullable=True),
    sa.Column('disability', sa.String(length=1), nullable=True),
    sa.Column('disability_grade', sa.String(length=1), nullable=True),
    sa.Column('labour', sa.String(length=1), nullable=True),
    sa.Column('migrant_months', sa.Integer(), nullable=True),
    sa.Column('medical_insurance', sa.Boolean(), nullable=True),
    sa.Column('pension_insurance', sa.Boolean(), nullable=True),
    sa.Column('status', sa.String(length=1), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('id_cipher', sa.LargeBinary(), nullable=True),
    sa.Column('id_hash', sa.String(length=64), nullable=True),
    sa.Column('id_masked', sa.String(length=18), nullable=True),
    sa.Column('gender', sa.String(length=1), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('ethnicity', sa.String(length=2), nullable=True),
    sa.Column('phone_cipher', sa.LargeBinary(), nullable=True),
    sa.Column('phone_masked', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['county_code', 'household_id'], ['households.county_code', 'households.id'], name=op.f('fk_members_county_code_household_id_households'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_id'], ['import_batches.id'], name=op.f('fk_members_import_id_import_batches')),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_members_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_members')),
    sa.UniqueConstraint('county_code', 'id_hash', name=op.f('uq_members_county_code_id_hash'))
    )
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.create_index('ix_members_household', ['county_code', 'household_id'], unique=False)
        batch_op.create_index('ix_members_id_hash', ['id_hash'], unique=False)
        batch_op.create_index('ix_members_name', ['name'], unique=False, postgresql_ops={'name': 'text_pattern_ops'})
        batch_op.create_index('ix_members_village_code_id', ['village_code', 'id'], unique=False)

    citus.create_table('kin_relations',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('member_a', sa.BigInteger(), nullable=False),
    sa.Column('member_b', sa.BigInteger(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('member_a <> member_b', name=op.f('ck_kin_relations_distinct')),
    sa.ForeignKeyConstraint(['county_code', 'member_a'], ['members.county_code', 'members.id'], name=op.f('fk_kin_relations_county_code_member_a_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['county_code', 'member_b'], ['members.county_code', 'members.id'], name=op.f('fk_kin_relations_county_code_member_b_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('county_code', 'member_a', 'member_b', name=op.f('pk_kin_relations'))
    )
    with op.batch_alter_table('kin_relations', schema=None) as batch_op:
        batch_op.create_index('ix_kin_relations_b', ['county_code', 'member_b'], unique=False)

    citus.create_table('village_officials',
    sa.Column('county_code', sa.String(length=6), nullable=False),
    sa.Column('id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('member_id', sa.BigInteger(), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('post', sa.String(length=2), nullable=False),
    sa.Column('term_start', sa.Date(), nullable=False),
    sa.Column('term_end', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['county_code', 'member_id'], ['members.county_code', 'members.id'], name=op.f('fk_village_officials_county_code_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['village_code'], ['divisions.code'], name=op.f('fk_village_officials_village_code_divisions')),
    sa.PrimaryKeyConstraint('county_code', 'id', name=op.f('pk_village_officials'))
    )
    with op.batch_alter_table('village_officials', schema=None) as batch_op:
        batch_op.create_index('ix_village_officials_village_code', ['village_code'], unique=False)


    if op.get_bind().dialect.name == "postgresql":
        for table in SEQUENCED:
            op.execute(f"CREATE SEQUENCE {table}_id_seq")
        op.execute(ALLOCATE_FUNCTION)
    citus.distribute(
        reference=["catalogue_items", "import_batches"],
        distributed=["registry_changes", "registry_snapshots", "household_snapshots", "member_snapshots", "cadres",
                     "households", "cadre_postings", "household_benefits", "household_incomes", "members",
                     "kin_relations", "village_officials"],
    )

def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS zhucun_allocate(regclass, bigint)")
        for table in SEQUENCED:
            op.execute(f"DROP SEQUENCE IF EXISTS {table}_id_seq")
    with op.batch_alter_table('village_officials', schema=None) as batch_op:
        batch_op.drop_index('ix_village_officials_village_code')

    op.drop_table('village_officials')
    with op.batch_alter_table('kin_relations', schema=None) as batch_op:
        batch_op.drop_index('ix_kin_relations_b')

    op.drop_table('kin_relations')
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_index('ix_members_village_code_id')
        batch_op.drop_index('ix_members_name')
        batch_op.drop_index('ix_members_id_hash')
        batch_op.drop_index('ix_members_household')

    op.drop_table('members')
    op.drop_table('household_incomes')
    with op.batch_alter_table('household_benefits', schema=None) as batch_op:
        batch_op.drop_index('ix_household_benefits_household')

    op.drop_table('household_benefits')
    with op.batch_alter_table('cadre_postings', schema=None) as batch_op:
        batch_op.drop_index('ix_cadre_postings_village_code')
        batch_op.drop_index('ix_cadre_postings_cadre')

    op.drop_table('cadre_postings')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('ix_households_village_code_id')
        batch_op.drop_index('ix_households_head_name')
        batch_op.drop_index('ix_households_household_no')

    op.drop_table('households')
    with op.batch_alter_table('cadres', schema=None) as batch_op:
        batch_op.drop_index('ix_cadres_unit_id')
        batch_op.drop_index('ix_cadres_name')
        batch_op.drop_index('ix_cadres_division_code_id')

    op.drop_table('cadres')
    op.drop_table('member_snapshots')
    with op.batch_alter_table('import_batches', schema=None) as batch_op:
        batch_op.drop_index('uq_import_batches_done_file', postgresql_where=text("status = 'done'"), sqlite_where=text("status = 'done'"))

    op.drop_table('import_batches')
    op.drop_table('household_snapshots')
    op.drop_table('registry_snapshots')
    with op.batch_alter_table('registry_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_registry_changes_household')

    op.drop_table('registry_changes')
    op.drop_table('id_counters')
    op.drop_table('catalogue_items')
