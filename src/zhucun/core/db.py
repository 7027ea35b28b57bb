"""Database: declarative base, the county-key rule, engines and sessions for SQLite and PostgreSQL.

Scale-out rule: a table that grows with the registry is *distributed* by county code
(the Citus distribution column), which is the first column of its primary key and part of
every foreign key to another distributed table. Small shared tables are *reference*
tables; tables that only the coordinator needs (accounts, sessions) are *local*.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine, MetaData, String, create_engine, event, inspect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from .errors import Invalid
from .i18n import _l

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Distribution = Literal["distributed", "reference", "local"]
DISTRIBUTED: Distribution = "distributed"
REFERENCE: Distribution = "reference"
LOCAL: Distribution = "local"
COUNTY_COLUMN = "county_code"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CountyKeyed:
    """Mixin for tables distributed by county: ``county_code`` leads the primary key."""

    county_code: Mapped[str] = mapped_column(String(6), primary_key=True, sort_order=-100)


def distribution(table: Any) -> Distribution | None:
    """How a table is placed on a Citus cluster; None means it breaks the rule."""
    declared: Distribution | None = table.info.get("distribution")
    if declared:
        return declared
    pk = [column.name for column in table.primary_key.columns]
    return DISTRIBUTED if pk[:1] == [COUNTY_COLUMN] else None


def utcnow() -> datetime:
    """Naive UTC, stored the same way on SQLite and PostgreSQL."""
    return datetime.now(UTC).replace(tzinfo=None)


def county_of(code: str | None) -> str:
    """The county key of a division code: its first six digits (000000 for none)."""
    return (code or "000000")[:6].ljust(6, "0")


class Database:
    """An engine and its session factory, passed explicitly to the app, the CLI and tests."""

    def __init__(
        self,
        url: str,
        *,
        engine: Engine | None = None,
        bind: Any = None,
        echo: bool = False,
        key_dir: Path | None = None,
    ):
        self.url = url
        # Where the audit trail's sealing key lives; None means the settings' key directory.
        self.key_dir = key_dir
        self.engine = engine or make_engine(url, echo=echo)
        self._bind = bind if bind is not None else self.engine
        self._factory = sessionmaker(
            bind=self._bind, expire_on_commit=False, autoflush=False, join_transaction_mode="create_savepoint"
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self, *, write: bool = False) -> Session:
        """A new session; ``write`` makes SQLite take its write lock at BEGIN."""
        session = self._factory()
        session.info["write"] = write
        if self.key_dir is not None:
            session.info["key_dir"] = self.key_dir
        if write and self.dialect == "sqlite" and self._bind is self.engine:
            session.bind = self.engine.execution_options(sqlite_immediate=True)
        return session

    @contextmanager
    def begin(self, *, write: bool = True) -> Iterator[Session]:
        """A session in one transaction: committed at the end, rolled back on error."""
        session = self.session(write=write)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    # A failed statement's message never carries its values (names, ID hashes, household
    # numbers): error answers and logs show the SQL and the constraint, not the person.
    hidden: dict[str, Any] = {"hide_parameters": True}
    if url.startswith("sqlite"):
        kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
        if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
            kwargs["poolclass"] = StaticPool
        engine = create_engine(url, echo=echo, **kwargs, **hidden)
        _configure_sqlite(engine)
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        engine = create_engine(url, echo=echo, pool_pre_ping=True, **hidden)
        event.listen(engine, "connect", _one_connection_per_node_on_citus)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    return engine


def _refuse_nul(_conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, executemany: bool) -> None:
    """Text with a NUL character is refused on every backend, as PostgreSQL cannot store or even
    compare it: whatever carries it (a form, a JSON body, a query, a file) gets a 422, not a 500."""
    for row in (parameters or ()) if executemany else (parameters or (),):
        values = row.values() if isinstance(row, Mapping) else row
        if any(isinstance(value, str) and "\x00" in value for value in values):
            raise Invalid(_l("Text must not contain the NUL character."), code="nul_character")


def _one_connection_per_node_on_citus(dbapi_connection: Any, _record: Any) -> None:
    """On a Citus coordinator, run multi-shard statements over one connection per node. After a
    read that ran in parallel over many shards, a transaction may no longer write a reference
    or Citus local table (divisions, units, users…): a page that counts a county's households and
    then saves a division, or a test's one enclosing transaction, would fail. Most reads stay in
    one county, hence on one shard, so little parallelism is lost."""
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        if cursor.fetchone() is not None:
            cursor.execute("SET citus.multi_shard_modify_mode TO 'sequential'")
    dbapi_connection.commit()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A writer takes the lock at BEGIN so that two writers wait for each other
        # instead of failing when one upgrades a read snapshot.
        immediate = connection.get_execution_options().get("sqlite_immediate")
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def chunked(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """Slices of at most ``size`` items, to keep IN lists and batches within driver limits."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def table_names(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names())
