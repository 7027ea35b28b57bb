"""The concurrency harness: N requests fired at once at one write route, then the answers and
the database checked — no 5xx, every refusal a located 409 or 422, counts equal to what
succeeded, the rules kept, and the history and the audit trail each a chain in which every
change's "before" is the previous change's "after".

A case is one line in ``cases.CASES``: what to prepare, the i-th request, how many may
succeed, and what must hold afterwards. A new mechanism adds its cases there."""

from __future__ import annotations

import io
import itertools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx2 as httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories.world import PASSWORD, World
from zhucun.core.audit import AuditEntry
from zhucun.core.db import Database
from zhucun.core.scope import Scope, bind
from zhucun.registry.models import RegistryChange

TIMEOUT = 60.0


@dataclass
class Live:
    base_url: str
    db: Database
    world: World
    log: io.StringIO
    tokens: dict[str, str] = field(default_factory=dict)
    sent: list[str] = field(default_factory=list)  # personal values sent, never to be logged
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def number(self) -> int:
        """A number not used before in this run: for household numbers, ID sequences, names."""
        return next(self.numbers)

    def token(self, username: str) -> str:
        if username not in self.tokens:
            answer = httpx.post(
                f"{self.base_url}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30
            )
            assert answer.status_code == 200, answer.text
            self.tokens[username] = answer.json()["access_token"]
        return self.tokens[username]

    def call(self, method: str, path: str, *, json: Any = None, user: str = "admin") -> httpx.Response:
        with httpx.Client(base_url=self.base_url, timeout=TIMEOUT) as client:
            return client.request(method, path, json=json, headers={"Authorization": f"Bearer {self.token(user)}"})

    def ok(self, method: str, path: str, *, json: Any = None, user: str = "admin") -> Any:
        """A preparing request, which must succeed."""
        answer = self.call(method, path, json=json, user=user)
        assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else None

    def session(self) -> Session:
        session = self.db.session()
        bind(session, Scope.everywhere())
        return session


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    json: Any = None
    user: str = "admin"


@dataclass(frozen=True)
class Case:
    """One race: ``prepare`` makes the rows it is about (through the API) and returns them;
    ``request(prepared, i)`` is the i-th of ``n`` requests sent at once; ``winners`` is how
    many must succeed (None: all); ``check(live, prepared, answers)`` reads the database."""

    name: str
    prepare: Callable[[Live], Any]
    request: Callable[[Any, int], Request]
    check: Callable[[Live, Any, list[httpx.Response]], None]
    winners: int | None = None
    n: int = 10


def fire(live: Live, requests: list[Request]) -> list[httpx.Response]:
    """Send the requests at once: each thread waits at a barrier with its token in hand."""
    for r in requests:
        live.token(r.user)
    barrier = threading.Barrier(len(requests))

    def send(r: Request) -> httpx.Response:
        with httpx.Client(base_url=live.base_url, timeout=TIMEOUT) as client:
            barrier.wait(TIMEOUT)
            headers = {"Authorization": f"Bearer {live.token(r.user)}"}
            return client.request(r.method, r.path, json=r.json, headers=headers)

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def check_answers(answers: list[httpx.Response], winners: int | None) -> None:
    """No 5xx; every refusal a 409 or 422 naming its field; as many successes as expected."""
    for answer in answers:
        assert answer.status_code < 500, answer.text
        if answer.status_code >= 300:
            assert answer.status_code in (409, 422), answer.text
            body = answer.json()
            assert body.get("field") and body.get("message"), body
    succeeded = sum(a.status_code < 300 for a in answers)
    assert succeeded == (len(answers) if winners is None else winners), [a.text for a in answers]


def fields_chain(changes: list[tuple[Any, Any]], start: dict[str, Any] | None = None) -> None:
    """Each change's before equals what the changes before it left (field by field)."""
    known = dict(start or {})
    assert changes, "no change was recorded"
    for number, (before, after) in enumerate(changes):
        for name, value in (before or {}).items():
            if name in known:
                assert known[name] == value, f"change {number}: {name} was {known[name]!r}, recorded {value!r}"
        known.update(after or {})


def history(live: Live, entity: str, entity_id: int, action: str) -> list[tuple[Any, Any]]:
    with live.session() as session:
        rows = session.execute(
            select(RegistryChange.before, RegistryChange.after)
            .where(
                RegistryChange.entity == entity, RegistryChange.entity_id == entity_id, RegistryChange.action == action
            )
            .order_by(RegistryChange.id)
        ).all()
    return [tuple(row) for row in rows]


def trail(live: Live, entity: str, entity_id: int, action: str) -> list[tuple[Any, Any]]:
    with live.session() as session:
        rows = session.execute(
            select(AuditEntry.before, AuditEntry.after)
            .where(AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id), AuditEntry.action == action)
            .order_by(AuditEntry.county_code, AuditEntry.seq)
        ).all()
    return [tuple(row) for row in rows]


def chains(live: Live, entity: str, entity_id: int, action: str, *, registry: bool = True) -> None:
    """The history (when the entity keeps one) and the audit trail both chain."""
    if registry:
        fields_chain(history(live, entity, entity_id, action.rsplit(":", 1)[1]))
    fields_chain(trail(live, entity, entity_id, action))
