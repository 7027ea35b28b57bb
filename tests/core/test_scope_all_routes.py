"""Every route × every role: nothing outside the caller's scope can be read or changed.

For each route the accounts of county A (one per role, and a county-scoped administrator)
call it about objects of county B: a role without the route's permission gets 403; with
it, a route about one object answers 404 (the same as a missing object), a list shows
nothing of county B, and a change is refused with a 404 and writes nothing — a 422 would
mean the request was not even checked against the scope, so it does not count as refused.
A JSON answer leaks when a row in it carries one of county B's division codes
(``village_code``, ``division_code``, ``county_code``), whatever its text; a page or a file
when it names county B. Routes are read from
the application itself, so a new route is covered without editing this file (its
sample request must be added to route_samples, or the test fails).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.route_samples import NOT_OBJECTS, SELF_ROUTES, sample_for
from tests.core.route_table import SCOPED, route_id, send, state
from tests.factories.auth import bearer_headers, cookie_headers
from tests.factories.world import World
from zhucun.core.permissions import Role, role_has

B_MARKERS = ("522798", "白岩")
B_PREFIX = "522798"
# Imports alone answer county B's division with a 422: the file is the unit of refusal, so
# a row naming a village outside the area is one located row error among the file's others
# (nothing of the file is written), not a 404 for the whole request. Every other route —
# forms included — answers another area's division, unit, cadre, household or member with
# the same 404 as a missing one. Listed one by one so that any other route's 422 (a sample
# the route never checked against the scope) is a failure.
FIELD_REFUSALS = {
    ("POST", "/api/v1/divisions/import"),
    ("POST", "/divisions/import"),
    ("POST", "/api/v1/imports/cadres"),
    ("POST", "/api/v1/imports/members"),
    ("POST", "/imports/cadres"),
    ("POST", "/imports/members"),
    ("POST", "/api/v1/imports/alerts"),
    ("POST", "/imports/alerts"),
    ("POST", "/api/v1/imports/reference_incomes"),
    ("POST", "/imports/reference_incomes"),
}
CODE_FIELDS = {"village_code", "division_code", "county_code", "code", "hometown_code"}


def codes_in(value: Any) -> set[str]:
    """The division codes the rows of a JSON answer carry, at any depth."""
    if isinstance(value, dict):
        found = {v for k, v in value.items() if k in CODE_FIELDS and isinstance(v, str)}
        return found.union(*(codes_in(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(codes_in(v) for v in value))
    return set()


def leaks(response: Any) -> list[str]:
    """County B's codes in a JSON answer; for a page or a file, county B's name or code."""
    if response.headers.get("content-type", "").startswith("application/json"):
        return sorted(code for code in codes_in(response.json()) if code.startswith(B_PREFIX))
    return [marker for marker in B_MARKERS if marker in response.text]


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
        status = response.status_code
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
            if status != 200 or leaks(response):
                failures.append(f"{label}: expected 200 without anything of county B ({leaks(response)})")
        elif status != 404 and not (status == 422 and (method, path) in FIELD_REFUSALS):
            failures.append(f"{label}: expected the change about county B to be refused with 404")
        if method != "GET" and (method, path) not in SELF_ROUTES and state(session) != before:
            failures.append(f"{label}: the database changed")
    assert not failures, "\n".join(failures)
