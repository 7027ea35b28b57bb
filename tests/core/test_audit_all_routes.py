"""Every state-changing route writes an audit entry (table-driven over the app's routes), and
no audit entry, from those routes or from the exports searched by ID number, holds one in clear."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import select, tuple_

from tests.core.route_samples import Sample, sample_for, url_of
from tests.core.route_table import ROUTES, UNSAFE_ROUTES, audit_count, route_id, send
from tests.factories.auth import bearer_headers, cookie_headers
from tests.factories.leaks import clear_ids
from tests.factories.world import PASSWORD
from zhucun.core.addressing import OLD_PATHS
from zhucun.core.audit import AuditEntry
from zhucun.core.protect import Protector
from zhucun.registry.models import Member

NEW_PASSWORD = "Changed2026pw"


def _public(client, method: str, path: str, world, session) -> tuple[Sample, dict[str, str], str | None]:
    """Requests for the public routes that change state: logins and password changes."""
    user = world.a.users
    if path == "/api/v1/auth/token":
        return Sample(data={"username": "zhen", "password": PASSWORD}), {}, None
    if path == "/api/v1/auth/password":
        return Sample(json={"username": "zhen", "old_password": PASSWORD, "new_password": NEW_PASSWORD}), {}, None
    if path.startswith("/api/v1/public/notices/") and path.endswith("/objections"):
        return Sample(params=_notice(session, world), json={"text": "该户收入不实"}), {}, None
    client.get("/login")
    csrf = client.cookies.get("zhucun_csrf")
    if path in ("/public/notices/{county_code}/{notice_id}", "/public/notices/{notice_id:int}"):
        return Sample(params=_notice(session, world), data={"text": "该户收入不实"}), {}, csrf
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


def _notice(session, world) -> dict[str, object]:
    """A notice of area A, named as both its paths need (the old one uses the id only)."""
    from tests.core.route_samples import PARAMS

    return {"county_code": world.a.county[:6], "notice_id": PARAMS["notice_id"](session, world.a)}


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
    seen = entry_keys(session)
    response = send(client, method, path, sample, headers, csrf)
    if (method, path) in OLD_PATHS:
        # An old path only redirects (keeping the method and body) to the route that changes state.
        assert response.status_code == 308, response.text
        county = {"county_code": world.a.county[:6]}
        assert response.headers["location"].split("?")[0] == url_of(
            OLD_PATHS[(method, path)], {**sample.params, **county}
        )
        assert audit_count(session) == before
        return
    assert response.status_code < 400, response.text
    assert audit_count(session) > before, f"{method} {path} changed state without an audit entry"
    WRITTEN.extend(entry_texts(session, seen))


# The entries the routes above wrote, kept past each test's rollback for the scan below.
WRITTEN: list[str] = []
EXPORTS = [path for method, path, _perm in ROUTES if method == "GET" and "export" in path]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def entry_keys(session) -> set[tuple[str, int]]:
    return {(county, seq) for county, seq in session.execute(select(AuditEntry.county_code, AuditEntry.seq))}


def entry_texts(session, seen: set[tuple[str, int]] | None = None) -> list[str]:
    """What an entry says about the thing changed: before, after (an export's filters within), why."""
    statement = select(AuditEntry.before, AuditEntry.after, AuditEntry.reason)
    if seen:
        statement = statement.where(tuple_(AuditEntry.county_code, AuditEntry.seq).not_in(seen))
    return [f"{before} {after} {reason}" for before, after, reason in session.execute(statement)]


def test_no_audit_entry_holds_an_id_number_in_clear(client, db, settings, world, session):
    """After every route above has run: each entry they wrote, the world's, and those of every
    export searched by a resident's ID number, typed plain, after a %20 or %09, or full-width."""
    number = Protector.of(settings).reveal(
        session.scalars(select(Member.id_cipher).where(Member.id == world.a.member_id)).one()
    )
    headers = bearer_headers(db, settings, "admin")
    for path in EXPORTS:
        sample = sample_for(session, "GET", path, world.a)
        for typed in (number, f" {number}", f"\t{number}", number.translate(FULL_WIDTH)):
            response = client.get(f"{url_of(path, sample.params)}?q={quote(typed)}", headers=headers)
            assert response.status_code == 200, f"{path}: {response.text}"
    texts = [*WRITTEN, *entry_texts(session)]
    assert len(texts) > len(EXPORTS) * 4
    assert clear_ids("\n".join(texts)) == []
