"""Test fixtures: one real database per run (SQLite or PostgreSQL, chosen by
ZHUCUN_TEST_BACKEND), migrated once with Alembic, with a shared world of two counties;
each test runs inside a transaction rolled back at its end (a SAVEPOINT per session).

Under pytest-xdist (``make test`` runs ``-n auto --dist loadgroup``) every worker is a
process with its own session: its own databases (SQLite files in its own directory,
PostgreSQL databases named after the worker on the shared server), world and keys."""

from __future__ import annotations

import itertools
import os
import secrets
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path

import httpx2 as httpx
import pytest
from _pytest.nodeid import coerce_node_id
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.citus_nodes import Cluster
from tests.factories.cli import Cli
from tests.factories.world import PASSWORD, World, build
from zhucun.app import create_app
from zhucun.config import Settings
from zhucun.core.auth import configure_hashing
from zhucun.core.db import Database, make_engine
from zhucun.core.i18n import DEFAULT_LOCALE, use_locale
from zhucun.core.migrate import upgrade
from zhucun.core.scope import Scope, bind
from zhucun.core.web import strict_templates

BACKEND = os.environ.get("ZHUCUN_TEST_BACKEND", "sqlite")
# "gw0", "gw1"… under pytest-xdist; "main" in a run without workers.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def pytest_report_header() -> str:
    return f"zhucun backend: {BACKEND}" + (" (Citus)" if os.environ.get("ZHUCUN_TEST_CITUS") == "1" else "")


# ``make test`` runs the suite on SQLite and then on PostgreSQL. A test whose subject does not
# depend on the SQL dialect (it uses no database, or is marked ``one_backend``: a browser's
# layout and screenshots) proves nothing more the second time, so scripts/run-tests sets this
# for the PostgreSQL run after a SQLite one; a plain ``pytest`` run still runs everything.
ONE_BACKEND_DONE = os.environ.get("ZHUCUN_TEST_ONE_BACKEND_DONE") == "1"
# The fixture every database of the tests comes from (the test database, the world, fresh and
# generated databases, the browser site): a test that does not reach it touches no database.
DATABASE_ROOT = "databases"
ONCE_KEY = pytest.StashKey[int]()


def runs_on_one_backend(item: pytest.Item) -> bool:
    """Marked ``one_backend``, or using no database and not asking which backend runs (a module
    that imports BACKEND checks something of the dialect, e.g. a PostgreSQL-only test)."""
    if item.get_closest_marker("one_backend"):
        return True
    module = getattr(item, "module", None)
    asks_backend = module is not None and getattr(module, "BACKEND", None) is BACKEND and module.__name__ != __name__
    return DATABASE_ROOT not in getattr(item, "fixturenames", ()) and not asks_backend


def deselect_the_ones_run_once(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not ONE_BACKEND_DONE:
        return
    once = [item for item in items if runs_on_one_backend(item)]
    if once:
        config.hook.pytest_deselected(items=once)
        items[:] = [item for item in items if not runs_on_one_backend(item)]
    config.stash[ONCE_KEY] = len(once)
    if hasattr(config, "workeroutput"):  # an xdist worker: its controller writes the summary
        config.workeroutput["one_backend_deselected"] = len(once)


@pytest.hookimpl(optionalhook=True)  # an xdist hook: without xdist there is no controller
def pytest_testnodedown(node, error) -> None:
    """On the xdist controller: every worker collects the whole suite, so any one's count is the count."""
    once = getattr(node, "workeroutput", {}).get("one_backend_deselected")
    if once is not None:
        node.config.stash[ONCE_KEY] = once


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    once = config.stash.get(ONCE_KEY, None)
    if once is not None:
        terminalreporter.write_line(
            f"zhucun: {once} dialect-independent tests deselected on {BACKEND}: they ran on the first backend"
        )


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups in its own hook
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    deselect_the_ones_run_once(config, items)
    group_shared_fixtures(config, items)


def group_shared_fixtures(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keeps on one xdist worker the tests of a directory that share a costly fixture of their own
    (the browser site, the generated demo county, a module's committed demo database), so that
    each is built once per run as without xdist, not once per worker that happens to get a test."""
    if not config.pluginmanager.hasplugin("xdist"):
        return
    root = Path(__file__).resolve().parent.relative_to(config.rootpath).as_posix()
    for item in items:
        if uses_a_shared_fixture_of_its_own(item, root):
            item.add_marker(pytest.mark.xdist_group(item.path.parent.relative_to(config.rootpath).as_posix()))


class GroupNames:
    """Registered on xdist's workers: runs after every other collection hook, xdist's included."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        name_the_groups(config, items)


def pytest_configure(config: pytest.Config) -> None:
    strict_templates()  # a page that shows a missing variable answers 500, which the crawler reports
    if os.environ.get("PYTEST_XDIST_WORKER"):
        config.pluginmanager.register(GroupNames(), "zhucun-group-names")


def name_the_groups(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Suffixes ``@group`` to the ids of grouped tests, which is how a worker tells the controller's
    loadgroup scheduler the groups. pytest-xdist 3.8 writes the suffix to ``item._nodeid``, which
    pytest 9 no longer reads (the id is ``item._id``), so without this every group was spread over
    the workers and its fixture built on each (the audit chain's demo database twice, …)."""
    if not getattr(config.option, "loadgroup", False):  # set on the workers of a --dist loadgroup run
        return
    for item in items:
        groups = sorted({str(mark.args[0]) for mark in item.iter_markers("xdist_group") if mark.args})
        if groups and "@" not in item.nodeid:
            item._id = coerce_node_id(f"{item.nodeid}@{'_'.join(groups)}")


def uses_a_shared_fixture_of_its_own(item: pytest.Item, root: str) -> bool:
    """Whether the test uses a fixture wider than one test that is defined below tests/conftest.py
    (pytest's own, the plugins' and this file's are built once per worker anyway)."""
    definitions = getattr(item, "_fixtureinfo", None)  # pytest's, but stable since pytest 3
    if definitions is None:
        return False
    return any(
        fixture.scope != "function" and fixture.baseid not in ("", root)
        for name in item.fixturenames
        for fixture in definitions.name2fixturedefs.get(name, ())[-1:]
    )


class Databases:
    """Creates throwaway databases on the backend under test and drops them afterwards."""

    def __init__(self, root: Path):
        self.root = root
        self.created: list[str] = []
        self.template: str | None = None
        server = os.environ.get("ZHUCUN_TEST_DATABASE_URL")
        if BACKEND == "postgresql" and not server:
            raise pytest.UsageError("ZHUCUN_TEST_DATABASE_URL must name a PostgreSQL server (make test starts one)")
        self.server = server
        self.cluster = Cluster.detect(self._admin_url()) if BACKEND == "postgresql" else None

    def _admin_url(self):
        return make_url(self.server.replace("postgresql://", "postgresql+psycopg://", 1))

    def new(self, label: str) -> str:
        if BACKEND == "sqlite":
            return f"sqlite:///{self.root / f'{label}.db'}"
        name = self._name(label)
        self._admin(f'CREATE DATABASE "{name}"')
        if self.cluster is not None:
            self.cluster.create(name)
        self.created.append(name)
        return self._admin_url().set(database=name).render_as_string(hide_password=False)

    def migrated(self, label: str) -> str:
        """A new database at the head of the migrations: a copy of one that Alembic migrated once
        per worker (an upgrade takes seconds on PostgreSQL, a copy a fraction of one). On Citus
        each database is migrated itself: the nodes hold shards that a template would not copy."""
        if self.cluster is not None:
            url = self.new(label)
            upgrade(url)
            return url
        if self.template is None:
            self.template = self.new("template")
            upgrade(self.template)
        if BACKEND == "sqlite":
            url = self.new(label)
            source = sqlite3.connect(make_url(self.template).database)
            with closing(source), closing(sqlite3.connect(make_url(url).database)) as target:
                source.backup(target)
            return url
        name = self._name(label)
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{make_url(self.template).database}"')
        self.created.append(name)
        return self._admin_url().set(database=name).render_as_string(hide_password=False)

    def _name(self, label: str) -> str:
        return f"zhucun_{WORKER}_{label}_{secrets.token_hex(4)}"

    def _admin(self, statement: str) -> None:
        admin = create_engine(self._admin_url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(statement))
        admin.dispose()

    def drop_all(self) -> None:
        if BACKEND == "sqlite" or not self.created:
            return
        url = make_url(self.server.replace("postgresql://", "postgresql+psycopg://", 1))
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            for name in self.created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        for name in self.created if self.cluster is not None else ():
            self.cluster.drop(name)


@pytest.fixture(autouse=True)
def default_locale() -> Iterator[None]:
    """Every test starts in the default locale and leaves it as it found it: a CLI run with
    ``ZHUCUN_LANG=en`` sets the locale of the test's own thread, and lazy labels read outside a
    request (home items, present()) would otherwise speak English in a later test."""
    with use_locale(DEFAULT_LOCALE):
        yield


@pytest.fixture(scope="session")
def databases() -> Iterator[Databases]:
    with tempfile.TemporaryDirectory(prefix=f"zhucun-test-{WORKER}-") as root:
        dbs = Databases(Path(root))
        yield dbs
        dbs.drop_all()


# Argon2 at its production cost takes about half a second per hash on these machines.
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}
# The same for the command line run in-process or in a subprocess during the tests.
for _name, _value in FAST_HASHING.items():
    os.environ.setdefault(f"ZHUCUN_{_name.upper()}", str(_value))


def make_settings(url: str, key_dir: Path, **overrides) -> Settings:
    settings = Settings(database_url=url, key_dir=key_dir, **{**FAST_HASHING, **overrides})
    configure_hashing(settings)
    return settings


@pytest.fixture(scope="session")
def key_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("keys")


@pytest.fixture(scope="session")
def database_url(databases: Databases) -> str:
    """The main test database: a copy of the worker's template, which Alembic migrated (so every
    run tests the migrations)."""
    return databases.migrated("main")


@pytest.fixture(scope="session")
def engine(database_url: str):
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def settings(database_url: str, key_dir: Path) -> Settings:
    return make_settings(database_url, key_dir)


@pytest.fixture(scope="session")
def world(engine, database_url: str, settings: Settings) -> World:
    configure_hashing(settings)
    db = Database(database_url, engine=engine, key_dir=settings.key_dir)
    with db.begin() as session:
        bind(session, Scope.everywhere())
        return build(session, settings)


@pytest.fixture
def db(engine, database_url: str, world: World, settings: Settings) -> Iterator[Database]:
    """A Database whose sessions all run inside one transaction, rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield Database(database_url, engine=engine, bind=connection, key_dir=settings.key_dir)
    finally:
        transaction.rollback()
        connection.close()


@pytest.fixture
def session(db: Database):
    session = db.session(write=True)
    bind(session, Scope.everywhere())
    yield session
    session.close()


@pytest.fixture(scope="session")
def shared_app(engine, database_url: str, key_dir: Path):
    """One application per worker. FastAPI analyses a route's dependencies on the first request
    an app routes (not when the route is added), so a new app per test spent about a second,
    most of a short test, analysing 300-odd routes again; the app itself holds nothing of a
    test's but ``state.db`` and ``state.settings``, which the ``app`` fixture sets per test."""
    settings = make_settings(database_url, key_dir)
    return create_app(settings, Database(database_url, engine=engine, key_dir=key_dir))


@pytest.fixture
def app(shared_app, db: Database, settings: Settings):
    """The worker's application, answering from this test's rolled-back transaction."""
    idle = shared_app.state.db, shared_app.state.settings
    configure_hashing(settings)  # as create_app does
    shared_app.state.db, shared_app.state.settings = db, settings
    yield shared_app
    # A test may change the settings the app answers with (a stricter password rule…).
    shared_app.state.db, shared_app.state.settings = idle


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as client:
        yield client


def api_token(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


class Api:
    """A client that calls the API as one account, with its bearer token."""

    def __init__(self, client: TestClient, username: str):
        self.client = client
        self.username = username
        self.headers = {"Authorization": f"Bearer {api_token(client, username)}"}

    def request(self, method: str, url: str, **kwargs) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def patch(self, url: str, **kwargs) -> httpx.Response:
        return self.request("PATCH", url, **kwargs)

    def delete(self, url: str, **kwargs) -> httpx.Response:
        return self.request("DELETE", url, **kwargs)


@pytest.fixture
def api(client: TestClient):
    """``api("zzb")`` → a client acting as that account through the API."""
    return lambda username: Api(client, username)


def web_login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form like a browser; returns the CSRF token of the new session."""
    page = client.get("/login")
    csrf = client.cookies.get("zhucun_csrf")
    assert csrf, page.text
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    home = client.get("/")
    marker = 'name="csrf_token" value="'
    return home.text.split(marker, 1)[1].split('"', 1)[0]


@pytest.fixture
def web(client: TestClient):
    """``web("zhen")`` logs the client in through the login form; returns the session's CSRF token."""
    return lambda username, password=PASSWORD: web_login(client, username, password)


# --- the command line and committed databases ------------------------------------------------
# The CLI opens its own connections, so it cannot see the rolled-back test transaction: its
# tests use databases of their own, committed for real.


@pytest.fixture(scope="session")
def fresh_database(databases: Databases) -> Callable[..., str]:
    """``fresh_database("label")`` → the URL of a new, migrated database (``migrate=False``: empty)."""
    labels = itertools.count(1)

    def make(label: str, *, migrate: bool = True) -> str:
        name = f"{label}{next(labels)}"
        return databases.migrated(name) if migrate else databases.new(name)

    return make


@pytest.fixture(scope="session")
def cli() -> Callable[[str], Cli]:
    """``cli(url)("divisions", "import", path)`` → the CliRunner result."""
    return Cli
