"""After imports, searches and exports over HTTP against a committed database, no valid ID
number is left in clear: not in the database (the raw bytes of the SQLite file and its log, or
every text column of every PostgreSQL table), not in the logs (the application's, and the
access lines uvicorn would write for the URLs sent, through the filter it is configured
with), not in the error report or the exported files."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from urllib.parse import quote

import pytest
import python_calamine
from fastapi.testclient import TestClient
from sqlalchemy import JSON, String, Text, select

from tests.conftest import BACKEND, api_token, make_settings
from tests.core.route_samples import sample_for, url_of
from tests.core.route_table import ROUTES
from tests.factories.imports import csv_bytes, member_rows
from tests.factories.leaks import clear_ids, clear_ids_in
from tests.factories.world import build
from zhucun.app import create_app
from zhucun.core.db import Database
from zhucun.core.logs import RedactIdNumbers
from zhucun.core.scope import Scope, bind
from zhucun.models import metadata
from zhucun.registry.import_kind import sample
from zhucun.registry.models import Household

HEADERS = sample.MEMBER_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
EXPORTS = [path for method, path, _perm in ROUTES if method == "GET" and "export" in path]
SEARCHES = ["/api/v1/members", "/api/v1/households", "/api/v1/cadres", "/registry/members", "/registry/households"]


@pytest.fixture(scope="module")
def committed(fresh_database, key_dir: Path):
    url = fresh_database("leaks")
    settings = make_settings(url, key_dir)
    db = Database(url, key_dir=key_dir)
    with db.begin() as session:
        bind(session, Scope.everywhere())
        world = build(session, settings)
    yield settings, db, world
    db.dispose()


class AccessLog:
    """The access log as uvicorn writes it, with the redacting filter its configuration adds."""

    def __init__(self) -> None:
        self.stream = io.StringIO()
        self.handler = logging.StreamHandler(self.stream)
        self.handler.addFilter(RedactIdNumbers())
        self.logger = logging.getLogger("uvicorn.access")

    def write(self, response) -> None:
        request = response.request
        path = request.url.raw_path.decode("ascii")
        self.logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", request.method, path, "1.1", response.status_code)

    @property
    def text(self) -> str:
        return self.stream.getvalue()


@pytest.fixture
def access_log():
    log = AccessLog()
    log.logger.addHandler(log.handler)
    level, log.logger.level = log.logger.level, logging.INFO
    yield log
    log.logger.removeHandler(log.handler)
    log.logger.level = level


def upload(name: str, rows: list[list[str]]) -> dict:
    return {"file": (name, csv_bytes(HEADERS, rows), "text/csv")}


def typed_forms(number: str) -> list[str]:
    return [number, f" {number}", f"\t{number}", number.translate(FULL_WIDTH)]


def stored_text(settings) -> str:
    """Every text column of every table, as the database answers it."""
    texts = []
    db = Database(settings.database_url)
    try:
        with db.engine.connect() as connection:
            for table in metadata.sorted_tables:
                columns = [c for c in table.columns if isinstance(c.type, (String, Text, JSON))]
                if columns:
                    texts += [str(tuple(row)) for row in connection.execute(select(*columns))]
    finally:
        db.dispose()
    return "\n".join(texts)


def file_bytes(settings) -> str:
    """The raw bytes of a SQLite database and its log (free pages included), as Latin-1."""
    base = settings.sqlite_path()
    files = [base, base.with_name(base.name + "-wal")]
    return b"".join(p.read_bytes() for p in files if p.exists()).decode("latin-1")


def cells(body: bytes) -> list[str]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(body))
    return [str(cell) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python() for cell in row]


def test_no_id_number_is_left_in_clear(committed, caplog, access_log):
    settings, db, world = committed
    bad = member_rows([world.a.village], 6, seed=81)
    bad[1][COLUMN["出生日期"]] = bad[1][COLUMN["证件号码"]]
    bad[2][COLUMN["出生日期"]] = bad[2][COLUMN["证件号码"]].translate(FULL_WIDTH)
    good = member_rows([world.a.village], 6, seed=82)
    reports: list[str] = []
    with caplog.at_level(logging.DEBUG), TestClient(create_app(settings, db)) as client:
        headers = {"Authorization": f"Bearer {api_token(client, 'admin')}"}

        def get(url: str):
            response = client.get(url, headers=headers)
            access_log.write(response)
            assert response.status_code == 200, f"{url}: {response.text}"
            return response

        refused = client.post(
            "/api/v1/imports/members", headers=headers, files={"file": ("m.csv", csv_bytes(HEADERS, bad))}
        )
        assert refused.status_code == 422, refused.text
        reports += [refused.text, *cells(get(f"/api/v1/imports/{refused.json()['import_id']}/report.xlsx").content)]
        done = client.post(
            "/api/v1/imports/members", headers=headers, files={"file": ("g.csv", csv_bytes(HEADERS, good))}
        )
        assert done.status_code == 200, done.text
        with db.begin(write=False) as session:
            bind(session, Scope.everywhere())
            samples = {path: sample_for(session, "GET", path, world.a).params for path in EXPORTS}
            known = set(session.scalars(select(Household.household_no)))
        for typed in typed_forms(good[0][COLUMN["证件号码"]]):
            for path in SEARCHES:
                get(f"{path}?q={quote(typed)}")
            for path in EXPORTS:
                # A route is either ``…/export.{fmt}`` or one fixed format (``…/export.xlsx``).
                for fmt in ("csv", "xlsx") if "{fmt}" in path else (path.rsplit(".", 1)[-1],):
                    body = get(f"{url_of(path, {**samples[path], 'fmt': fmt})}?q={quote(typed)}").content
                    reports += cells(body) if fmt == "xlsx" else [body.decode("utf-8-sig")]
    assert len(reports) > len(EXPORTS) * 8
    assert "q=%20" in access_log.text and "q=%09" in access_log.text
    assert clear_ids(access_log.text, known) == []
    assert clear_ids(stored_text(settings), known) == []
    if BACKEND == "sqlite":
        # Fields lie side by side in the file, so runs of digits are searched for as typed.
        typed = {row[COLUMN["证件号码"]] for row in [*bad, *good]}
        raw = file_bytes(settings)
        assert typed and [number for number in typed if number in raw] == []
    # The test client logs each URL it sends (with the number typed): that log is this test's.
    logged = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert clear_ids_in(logged, known) == []
    assert clear_ids_in(reports, known) == []
