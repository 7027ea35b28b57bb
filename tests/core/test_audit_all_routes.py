"""Every state-changing route writes an audit entry (table-driven over the app's routes)."""

from __future__ import annotations

import pytest

from tests.core.route_samples import Sample, sample_for
from tests.core.route_table import UNSAFE_ROUTES, audit_count, route_id, send
from tests.factories.auth import bearer_headers, cookie_headers
from tests.factories.world import PASSWORD

NEW_PASSWORD = "Changed2026pw"


def _public(client, method: str, path: str, world, session) -> tuple[Sample, dict[str, str], str | None]:
    """Requests for the public routes that change state: logins and password changes."""
    user = world.a.users
    if path == "/api/v1/auth/token":
        return Sample(data={"username": "zhen", "password": PASSWORD}), {}, None
    if path == "/api/v1/auth/password":
        return Sample(json={"username": "zhen", "old_password": PASSWORD, "new_password": NEW_PASSWORD}), {}, None
    if path == "/api/v1/public/notices/{notice_id}/objections":
        from tests.core.route_samples import PARAMS

        notice = PARAMS["notice_id"](session, world.a)
        return Sample(params={"notice_id": notice}, json={"text": "该户收入不实"}), {}, None
    client.get("/login")
    csrf = client.cookies.get("zhucun_csrf")
    if path == "/public/notices/{notice_id}":
        from tests.core.route_samples import PARAMS

        notice = PARAMS["notice_id"](session, world.a)
        return Sample(params={"notice_id": notice}, data={"text": "该户收入不实"}), {}, csrf
    if path == "/login":
        return Sample(data={"username": "zhen", "password": PASSWORD}), {}, csrf
    if path == "/account/password":
        return (
            Sample(
                data={
                    "username": "zhen",
                    "old_password": PASSWORD,
                    "new_password": NEW_PASSWORD,
                    "confirm_password": NEW_PASSWORD,
                }
            ),
            {},
            csrf,
        )
    raise KeyError(f"{method} {path} ({user})")


@pytest.mark.parametrize("route", UNSAFE_ROUTES, ids=route_id)
def test_state_change_writes_an_audit_entry(route, client, db, settings, world, session):
    method, path, permission = route
    if permission is True:
        try:
            sample, headers, csrf = _public(client, method, path, world, session)
        except KeyError:
            pytest.fail(f"no sample for public {method} {path}: add one to _public")
    else:
        sample = sample_for(session, method, path, world.a)
        if path.startswith("/api/"):
            headers, csrf = bearer_headers(db, settings, "admin"), None
        else:
            headers, csrf = cookie_headers(db, settings, "admin")
    before = audit_count(session)
    response = send(client, method, path, sample, headers, csrf)
    assert response.status_code < 400, response.text
    assert audit_count(session) > before, f"{method} {path} changed state without an audit entry"
