"""Login throttling per account and client address, with longer locks each time, and an
administrator's unlock (web, API, command line), audited."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

import zhucun.cli
from tests.factories.auth import bearer_headers, cookie_headers
from tests.factories.world import PASSWORD
from zhucun.accounts.cli import app as user_cli
from zhucun.core import auth
from zhucun.core.audit import AuditEntry
from zhucun.core.models import User

WRONG = "Wrong-guess-0000"


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.now = auth.utcnow()
        monkeypatch.setattr(auth, "utcnow", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@contextmanager
def from_address(app, address: str) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver", client=(address, 40000)) as client:
        yield client


def token(client: TestClient, username: str, password: str) -> int:
    return client.post("/api/v1/auth/token", data={"username": username, "password": password}).status_code


def lock(client: TestClient, username: str = "admin") -> None:
    for _ in range(5):
        assert token(client, username, WRONG) == 401


def test_a_stranger_cannot_lock_the_administrator_out_from_elsewhere(app, clock):
    with from_address(app, "203.0.113.9") as stranger, from_address(app, "10.1.2.3") as holder:
        lock(stranger)
        assert token(stranger, "admin", PASSWORD) == 429
        assert token(holder, "admin", PASSWORD) == 200


def test_each_lock_in_a_row_lasts_twice_as_long(app, clock):
    with from_address(app, "203.0.113.9") as stranger:
        lock(stranger)
        response = stranger.post("/api/v1/auth/token", data={"username": "admin", "password": WRONG})
        assert (response.status_code, response.headers["Retry-After"]) == (429, "900")
        clock.advance(minutes=15, seconds=1)
        lock(stranger)
        response = stranger.post("/api/v1/auth/token", data={"username": "admin", "password": WRONG})
        assert (response.status_code, response.headers["Retry-After"]) == (429, "1800")
        clock.advance(minutes=30, seconds=1)
        assert token(stranger, "admin", PASSWORD) == 200


def _user_id(session, name: str) -> int:
    return session.scalar(select(User.id).where(User.username == name))


def _unlocks(session) -> list[AuditEntry]:
    return list(session.scalars(select(AuditEntry).where(AuditEntry.action == "account:user:unlocked")))


def test_an_administrator_unlocks_an_account_through_the_api(app, client, db, settings, session, clock):
    lock(client, "zhen")
    assert token(client, "zhen", PASSWORD) == 429
    response = client.post(
        f"/api/v1/users/{_user_id(session, 'zhen')}/unlock", headers=bearer_headers(db, settings, "admin_a")
    )
    assert response.status_code == 204
    assert token(client, "zhen", PASSWORD) == 200
    entry = _unlocks(session)[-1]
    assert (entry.actor_name, entry.entity_id) == ("admin_a", str(_user_id(session, "zhen")))


def test_the_user_page_has_an_unlock_button_that_works(app, client, db, settings, session, clock):
    lock(client, "zhen")
    user_id = _user_id(session, "zhen")
    headers, csrf = cookie_headers(db, settings, "admin_a")
    with TestClient(app, base_url="http://testserver") as browser:
        page = browser.get(f"/users/{user_id}", headers=headers)
        assert f'action="/users/{user_id}/unlock"' in page.text
        done = browser.post(f"/users/{user_id}/unlock", data={"csrf_token": csrf}, headers=headers)
        assert done.status_code == 200
        assert "登录锁定已解除" in done.text
    assert token(client, "zhen", PASSWORD) == 200


def test_an_account_one_cannot_manage_cannot_be_unlocked(client, db, settings, session, clock):
    response = client.post(
        f"/api/v1/users/{_user_id(session, 'jiwei')}/unlock", headers=bearer_headers(db, settings, "zzb")
    )
    assert response.status_code == 403
    assert _unlocks(session) == []


def test_the_command_line_unlocks_an_account(client, db, session, monkeypatch, clock):
    lock(client, "zhen")
    monkeypatch.setattr(db, "dispose", lambda: None)  # the CLI disposes its database when done
    monkeypatch.setattr(zhucun.cli, "database", lambda: db)
    result = CliRunner().invoke(user_cli, ["unlock", "zhen", "--reason", "本人来电核实"])
    assert result.exit_code == 0, result.output
    assert token(client, "zhen", PASSWORD) == 200
    assert _unlocks(session)[-1].reason == "本人来电核实"
