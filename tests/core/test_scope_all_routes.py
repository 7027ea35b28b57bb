"""Every route × every role: nothing outside the caller's scope can be read or changed.

For each route the accounts of county A (one per role, and a county-scoped administrator)
call it about objects of county B: a role without the route's permission gets 403; with
it, a route about one object answers 404 (the same as a missing object), a list shows
nothing of county B, and a change is refused and writes nothing. Routes are read from
the application itself, so a new route is covered without editing this file (its
sample request must be added to route_samples, or the test fails).
"""

from __future__ import annotations

import pytest

from tests.core.route_samples import NOT_OBJECTS, SELF_ROUTES, sample_for
from tests.core.route_table import SCOPED, route_id, send, state
from tests.factories.auth import bearer_headers, cookie_headers
from tests.factories.world import World
from zhucun.core.permissions import Role, role_has

B_MARKERS = ("522798", "白岩")


def actors(world: World) -> list[tuple[str, Role]]:
    people = [(name, role) for role, name in world.a.users.items() if role != Role.ADMIN]
    return [("admin_a", Role.ADMIN), *sorted(people)]


def test_the_route_table_is_not_empty():
    assert len(SCOPED) > 30


@pytest.mark.parametrize("route", SCOPED, ids=route_id)
def test_route_refuses_what_lies_outside_the_scope(route, client, db, settings, world, session):
    method, path, permission = route
    failures: list[str] = []
    for username, role in actors(world):
        try:
            sample = sample_for(session, method, path, world.b)
        except KeyError as missing:
            pytest.fail(f"no sample request for {method} {path} ({missing}): add one to tests/core/route_samples.py")
        if path.startswith("/api/"):
            headers, csrf = bearer_headers(db, settings, username), None
        else:
            headers, csrf = cookie_headers(db, settings, username)
        before = state(session)
        response = send(client, method, path, sample, headers, csrf)
        status, body = response.status_code, response.text
        label = f"{username} ({role}): {method} {path} → {status}"
        if status >= 500:
            failures.append(f"{label}: server error")
        elif not role_has(role, permission):
            if status != 403:
                failures.append(f"{label}: expected 403 without {permission}")
        elif (method, path) in SELF_ROUTES:
            continue
        elif set(sample.params) - NOT_OBJECTS:
            if status != 404:
                failures.append(f"{label}: expected 404 for county B's object")
        elif method == "GET":
            if status != 200 or any(marker in body for marker in B_MARKERS):
                failures.append(f"{label}: expected 200 without anything of county B")
        elif status not in (404, 422):
            failures.append(f"{label}: expected the change about county B to be refused")
        if method != "GET" and (method, path) not in SELF_ROUTES and state(session) != before:
            failures.append(f"{label}: the database changed")
    assert not failures, "\n".join(failures)
