"""Running the Alembic migrations from code (the CLI, ``make run`` and the tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from .db import make_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str, engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def ensure_sqlite_directory(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        Path(url[len(prefix) :]).parent.mkdir(parents=True, exist_ok=True)


def upgrade(url: str, revision: str = "head", engine: Engine | None = None) -> None:
    """Migrate, then refresh the reference data that the code defines (catalogues)."""
    ensure_sqlite_directory(url)
    command.upgrade(alembic_config(url, engine), revision)
    if revision == "head":
        refresh_reference_data(url, engine)


def refresh_reference_data(url: str, engine: Engine | None = None) -> None:
    from ..models import AFTER_UPGRADE
    from .db import Database

    db = Database(url, engine=engine)
    try:
        with db.begin() as session:
            for step in AFTER_UPGRADE:
                step(session)
    finally:
        if engine is None:
            db.dispose()


def downgrade(url: str, revision: str, engine: Engine | None = None) -> None:
    command.downgrade(alembic_config(url, engine), revision)


def current_revision(url: str) -> str | None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
