"""The models and the migrations agree: the migrated test database has exactly the tables,
columns, types, indexes and constraints the models declare (imports included)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from zhucun.models import metadata


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, metadata) == []


def test_the_import_migration_made_the_error_table(engine):
    with engine.connect() as connection:
        columns = {c["name"] for c in inspect(connection).get_columns("import_problems")}
    assert {"import_id", "seq", "row_number", "column_letter", "code", "message_zh", "message_en"} <= columns
