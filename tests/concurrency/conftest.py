"""A live server on a committed PostgreSQL database for the concurrency harness: uvicorn in a
thread on 127.0.0.1, the test world built and committed, its error log captured."""

from __future__ import annotations

import io
import logging
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from tests.conftest import make_settings
from tests.factories.world import build
from zhucun.app import create_app
from zhucun.core.db import Database
from zhucun.core.scope import Scope, bind

from .harness import Live

LOGGERS = ("uvicorn.error", "zhucun", "zhucun.http")


@pytest.fixture(scope="module")
def live(fresh_database, key_dir) -> Iterator[Live]:
    url = fresh_database("concurrency")
    settings = make_settings(url, key_dir)
    db = Database(url)
    with db.begin() as session:
        bind(session, Scope.everywhere())
        world = build(session, settings)
    log = io.StringIO()
    handler = logging.StreamHandler(log)
    for name in LOGGERS:
        logging.getLogger(name).addHandler(handler)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings, db), log_config=None, access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield Live(f"http://127.0.0.1:{sock.getsockname()[1]}", db, world, log)
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
        for name in LOGGERS:
            logging.getLogger(name).removeHandler(handler)
        db.dispose()
