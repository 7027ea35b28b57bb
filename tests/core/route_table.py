"""The application's routes, enumerated once for the table-driven tests."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.core.route_samples import Sample, url_of
from zhucun.app import app_routes, create_app
from zhucun.config import Settings
from zhucun.core.audit import AuditEntry
from zhucun.core.deps import route_permission
from zhucun.models import metadata

_APP = create_app(Settings(database_url="sqlite://"))
ROUTES: list[tuple[str, str, Any]] = sorted(
    (method, route.path, route_permission(route))
    for route in app_routes(_APP)
    for method in route.methods
    if method != "HEAD"
)
SCOPED = [(m, p, perm) for m, p, perm in ROUTES if perm is not True]
UNSAFE_ROUTES = [(m, p, perm) for m, p, perm in ROUTES if m in {"POST", "PUT", "PATCH", "DELETE"}]
# State that a refused request must leave untouched (sessions and throttling aside, and the
# history of imports, which records a refused import by design).
VOLATILE = {"auth_sessions", "login_throttle", "audit_heads", "audit_entries", "import_batches", "import_problems"}


def route_id(route: tuple[str, str, Any]) -> str:
    return f"{route[0]} {route[1]}"


def send(
    client: TestClient, method: str, path: str, sample: Sample, headers: dict[str, str], csrf: str | None = None
) -> httpx.Response:
    headers = dict(headers)
    data = sample.data
    if csrf is not None:
        if data is not None or sample.files is not None:
            data = {**(data or {}), "csrf_token": csrf}
        else:
            headers["X-CSRF-Token"] = csrf
    return client.request(
        method,
        url_of(path, sample.params),
        headers=headers,
        json=sample.json,
        data=data,
        files=sample.files,
        follow_redirects=False,
    )


def state(session: Session) -> dict[str, int]:
    """Row counts of every table, and of audit entries other than logins and logouts."""
    counts = {
        name: session.scalar(select(func.count()).select_from(table))
        for name, table in metadata.tables.items()
        if name not in VOLATILE
    }
    counts["audit (changes)"] = session.scalar(
        select(func.count())
        .select_from(AuditEntry)
        .where(~AuditEntry.action.startswith("account:session"), ~AuditEntry.action.startswith("account:token"))
    )
    return counts


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))
