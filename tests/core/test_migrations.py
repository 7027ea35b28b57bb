"""The Alembic history on the backend under test: a fresh database migrated to head matches
the models exactly (types included), and the history runs down to base and up again."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from zhucun.core.db import make_engine
from zhucun.core.migrate import current_revision, downgrade, upgrade
from zhucun.models import metadata


def differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "compare_server_default": False}
            )
            return compare_metadata(context, metadata)
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_a_migrated_database_matches_the_models(fresh_database):
    url = fresh_database("models")
    assert differences(url) == []
    assert tables(url) == set(metadata.tables) | {"alembic_version"}


def test_the_history_goes_down_to_base_and_up_again(fresh_database):
    url = fresh_database("updown")
    downgrade(url, "base")
    assert current_revision(url) is None
    assert tables(url) <= {"alembic_version"}
    upgrade(url)
    assert current_revision(url) is not None
    assert differences(url) == []
