"""Browser tests: the demo county in a database of its own (committed, unlike the main test
database), served by uvicorn in a background thread and driven through Debian's chromium
with Playwright — one browser per session, a fresh context per test.

Screenshots go to ``test-artifacts/screenshots/<backend>/<test-name>-<step>.png``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.browser.support import PHONE, Site
from tests.conftest import ARTIFACTS, BACKEND, FAST_HASHING, Databases
from zhucun.app import create_app
from zhucun.config import Settings
from zhucun.core.auth import Principal
from zhucun.core.db import Database
from zhucun.core.scope import Scope, bind
from zhucun.demo.load import load

CHROMIUM = os.environ.get("ZHUCUN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCREENSHOTS = ARTIFACTS / "screenshots" / BACKEND
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def site(databases: Databases, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo county, migrated and loaded into its own database, served on a free port."""
    url = databases.migrated("browser")
    settings = Settings(database_url=url, key_dir=tmp_path_factory.mktemp("browser-keys"), **FAST_HASHING)
    db = Database(url)
    with db.begin() as session:
        bind(session, Scope.everywhere())
        # A few households per village keep the site quick to build; the pages are the same.
        load(session, actor=Principal.system(), settings=settings, households=2000)

    app = create_app(settings)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off", ws="none"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="zhucun-browser-site", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the test server stopped while starting")
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start within 30 s")
        time.sleep(0.02)
    try:
        yield Site(f"http://127.0.0.1:{port}", db, settings)
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        listener.close()
        app.state.db.dispose()
        db.dispose()
    assert not thread.is_alive(), "the test server did not stop"


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    """This backend's screenshots from an earlier run are removed so that none is stale."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def require_chromium(path: str, *, ci: bool) -> None:
    """Skips the browser tests when chromium is missing, but fails them under CI."""
    if os.access(path, os.X_OK):
        return
    missing = f"no chromium at {path} (scripts/system-deps installs it)"
    # A skip on a developer's machine is a convenience; in CI it would silently drop the browser tests.
    if ci:
        pytest.fail(f"{missing}; CI is set, so the browser tests must run", pytrace=False)
    pytest.skip(missing)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Per module, not per session: Playwright's sync API keeps an event loop running in the
    # main thread while it is open, and the tests that a worker runs after the browser tests
    # (any that start their own loop there) would fail with "Already running asyncio".
    require_chromium(CHROMIUM, ci=bool(os.environ.get("CI")))
    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_page(browser: Browser, site: Site) -> Iterator[Callable[..., Page]]:
    """``open_page(phone=True, locale="en-US", …)``: a page in a fresh browser context.

    Contexts speak Chinese (``zh-CN``) unless told otherwise; ``locale=None`` leaves the
    browser's own (en-US), which only then can ``extra_http_headers`` replace for
    Accept-Language. An uncaught script error or a
    Content-Security-Policy violation on any page fails the test.
    """
    contexts = []
    problems: list[str] = []

    def open_page(*, phone: bool = False, locale: str | None = "zh-CN", **options: Any) -> Page:
        if locale:
            options["locale"] = locale
        context = browser.new_context(base_url=site.url, **(PHONE if phone else {}), **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"{page.url}: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def shot(request: pytest.FixtureRequest, screenshot_dir: Path) -> Callable[[Page, str], Path]:
    """``shot(page, "step")`` saves a full-page screenshot named after the test and the step."""
    name = re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")

    def shot(page: Page, step: str) -> Path:
        path = screenshot_dir / f"{name}-{step}.png"
        page.screenshot(path=path, full_page=True)
        return path

    return shot
