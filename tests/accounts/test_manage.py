"""Who may manage whom: every account-management route × every pair of the world's accounts.

The rule (core.auth.may_manage): an account may edit, disable, enable, reset the password
of, or change the roles of another only when, for each of the target's grants, it holds a
grant with a superset of its rights over an area containing it; an administrator's or
auditor's account only by an administrator of a strictly wider area. The expectations
below are written out by hand from that rule, not computed by the code under test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select, update

from tests.factories.auth import bearer_headers, cookie_headers
from tests.factories.world import World
from zhucun.core.audit import AuditEntry
from zhucun.core.models import RoleGrant, User

STRONG = "Qinglan-huaishu-7731"

# Accounts of county A (the demo personas), A's county administrator, and one account of B.
ACCOUNTS = ("admin", "admin_a", "zzb", "xczx", "zhen", "danwei", "shuji", "duiyuan", "cunwei", "bangfu", "jiwei")
OUTSIDE = "orgdept_b"
# Who holds accounts:user:write at all; everyone else is refused by the route's permission.
MANAGERS = {"admin", "admin_a", "zzb"}
# Targets each manager may manage. The national administrator manages everyone but itself;
# A's county administrator everyone of A but the administrators and the county's auditor
# (not strictly wider), and the national one is outside its area; the organisation department
# only the accounts whose rights are a subset of its own: the unit's and the helper's.
ALLOWED = {
    "admin": set(ACCOUNTS) - {"admin"} | {OUTSIDE},
    "admin_a": {"zzb", "xczx", "zhen", "danwei", "shuji", "duiyuan", "cunwei", "bangfu"},
    "zzb": {"danwei", "bangfu"},
}
# Outside the manager's area: the national administrator's account and county B's.
OUT_OF_AREA = {"admin": set(), "admin_a": {"admin", OUTSIDE}, "zzb": {"admin", OUTSIDE}}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    ok: int
    body: dict[str, Any]
    inactive_first: bool = False

    @property
    def web(self) -> bool:
        return not self.path.startswith("/api/")


def _township(world: World) -> str:
    return world.a.township


ROUTES = (
    Route("api-edit", "PATCH", "/api/v1/users/{id}", 200, {"json": {"display_name": "改名"}}),
    Route("api-disable", "PATCH", "/api/v1/users/{id}", 200, {"json": {"is_active": False, "reason": "调离"}}),
    Route("api-enable", "PATCH", "/api/v1/users/{id}", 200, {"json": {"is_active": True}}, inactive_first=True),
    Route("api-grant", "POST", "/api/v1/users/{id}/grants", 201, {"json": {"role": "helper", "division_code": "T"}}),
    Route("api-revoke", "DELETE", "/api/v1/users/{id}/grants/{grant}", 204, {}),
    Route("api-password", "POST", "/api/v1/users/{id}/password", 204, {"json": {"password": STRONG}}),
    Route("web-disable", "POST", "/users/{id}/active", 303, {"data": {"active": "0", "reason": "调离"}}),
    Route("web-enable", "POST", "/users/{id}/active", 303, {"data": {"active": "1"}}, inactive_first=True),
    Route("web-grant", "POST", "/users/{id}/grants", 303, {"data": {"role": "helper", "division_code": "T"}}),
    Route("web-revoke", "POST", "/users/{id}/grants/{grant}/delete", 303, {}),
    Route("web-password", "POST", "/users/{id}/password", 200, {"data": {"password": STRONG}}),
)


def expected(actor: str, target: str, route: Route) -> int:
    if actor not in MANAGERS:
        return 403
    if target in OUT_OF_AREA[actor]:
        return 404
    return route.ok if target in ALLOWED[actor] else 403


def _target(session, username: str) -> tuple[int, int]:
    user = session.scalars(select(User).where(User.username == username)).one()
    return user.id, session.scalars(select(RoleGrant.id).where(RoleGrant.user_id == user.id)).first()


def _kwargs(route: Route, world: World, csrf: str | None) -> dict[str, Any]:
    kwargs = {key: dict(value) for key, value in route.body.items()}
    for part in kwargs.values():
        if part.get("division_code") == "T":
            part["division_code"] = _township(world)
    if route.web:
        kwargs.setdefault("data", {})["csrf_token"] = csrf
    return kwargs


def _entries(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.mark.parametrize("actor", ACCOUNTS)
@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_an_account_manages_only_the_accounts_its_rights_cover(route, actor, client, db, settings, world, session):
    if route.web:
        headers, csrf = cookie_headers(db, settings, actor)
    else:
        headers, csrf = bearer_headers(db, settings, actor), None
    failures = []
    for target in (*ACCOUNTS, OUTSIDE):
        if target == actor:
            continue
        user_id, grant_id = _target(session, target)
        if route.inactive_first:
            session.execute(update(User).where(User.id == user_id).values(is_active=False))
            session.commit()
        before = _entries(session)
        path = route.path.format(id=user_id, grant=grant_id)
        response = client.request(
            route.method, path, headers=headers, follow_redirects=False, **_kwargs(route, world, csrf)
        )
        want = expected(actor, target, route)
        if response.status_code != want:
            failures.append(f"{actor} → {target}: {response.status_code}, expected {want}: {response.text[:200]}")
        elif want >= 400 and _entries(session) != before:
            failures.append(f"{actor} → {target}: refused but audited a change")
        session.expire_all()
    assert not failures, "\n".join(failures)


def test_a_refusal_says_why_in_the_callers_language(client, db, settings, session):
    user_id, _grant = _target(session, "jiwei")
    response = client.post(
        f"/api/v1/users/{user_id}/password",
        json={"password": STRONG},
        headers={**bearer_headers(db, settings, "zzb"), "Accept-Language": "zh-CN"},
    )
    assert response.status_code == 403
    assert response.json()["code"] == "account_not_manageable"
    assert "不能管理" in response.json()["message"]


def test_the_organisation_department_can_no_longer_take_over_the_auditor(client, db, settings, session):
    """The reported attack: reset the auditor's password, then log in as the auditor."""
    user_id, _grant = _target(session, "jiwei")
    headers = bearer_headers(db, settings, "zzb")
    reset = client.post(f"/api/v1/users/{user_id}/password", json={"password": STRONG}, headers=headers)
    assert reset.status_code == 403
    token = client.post("/api/v1/auth/token", data={"username": "jiwei", "password": STRONG})
    assert token.status_code == 401


def test_the_user_page_offers_no_management_of_an_account_one_cannot_manage(client, db, settings, session):
    user_id, _grant = _target(session, "jiwei")
    headers, _csrf = cookie_headers(db, settings, "zzb")
    page = client.get(f"/users/{user_id}", headers=headers)
    assert page.status_code == 200
    assert f'action="/users/{user_id}/password"' not in page.text
