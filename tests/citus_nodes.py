"""The test databases on a Citus cluster: each is created on every node with the extension,
and the coordinator's copy is told where the workers are (Citus keeps its nodes per database).
Used when ZHUCUN_TEST_CITUS=1, or when the server's own database has the extension."""

from __future__ import annotations

import os

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL


def _run(url: URL, *statements: str) -> list[tuple]:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            rows: list[tuple] = []
            for statement in statements:
                result = connection.execute(text(statement))
                rows = [tuple(r) for r in result] if result.returns_rows else []
            return rows
    finally:
        engine.dispose()


class Cluster:
    """The coordinator named by the test server's URL and the workers it knows."""

    def __init__(self, server: URL, workers: list[tuple[str, int]]):
        self.server = server
        self.workers = workers

    @classmethod
    def detect(cls, server: URL) -> Cluster | None:
        wanted = os.environ.get("ZHUCUN_TEST_CITUS")
        if wanted == "0":
            return None
        found = _run(server, "SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        if not found:
            if wanted == "1":
                raise RuntimeError("ZHUCUN_TEST_CITUS=1 but the server's database has no citus extension")
            return None
        workers = _run(
            server,
            "SELECT nodename, nodeport FROM pg_dist_node WHERE groupid <> 0 AND noderole = 'primary' ORDER BY 1, 2",
        )
        return cls(server, [(str(host), int(port)) for host, port in workers])

    def _worker(self, host: str, port: int, database: str | None = None) -> URL:
        return self.server.set(host=host, port=port, database=database or self.server.database)

    def create(self, name: str) -> None:
        """CREATE DATABASE on every node, the extension in each, the workers registered."""
        for host, port in self.workers:
            _run(self._worker(host, port), f'CREATE DATABASE "{name}"')
            _run(self._worker(host, port, name), "CREATE EXTENSION citus")
        coordinator = self.server.set(database=name)
        host, port = self.server.host or "localhost", self.server.port or 5432
        _run(
            coordinator,
            "CREATE EXTENSION citus",
            f"SELECT citus_set_coordinator_host('{host}', {port})",
            *(f"SELECT citus_add_node('{h}', {p})" for h, p in self.workers),
        )

    def drop(self, name: str) -> None:
        for host, port in self.workers:
            _run(self._worker(host, port), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main(argv: list[str]) -> None:
    """``python -m tests.citus_nodes create|drop SERVER_URL NAME`` (scripts/test-citus); create
    prints the new database's URL."""
    from sqlalchemy.engine import make_url

    action, server, name = argv
    url = make_url(server.replace("postgresql://", "postgresql+psycopg://", 1))
    cluster = Cluster.detect(url)
    if cluster is None:
        raise SystemExit(f"{server}: no citus extension there")
    if action == "create":
        _run(url, f'CREATE DATABASE "{name}"')
        cluster.create(name)
        print(url.set(database=name).render_as_string(hide_password=False).replace("+psycopg", "", 1))
    else:
        _run(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cluster.drop(name)


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
