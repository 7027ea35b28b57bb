"""Sample requests for every route, for the table-driven route tests.

Path parameters are filled by name from an area of the test world (so a route on a new
kind of object needs a line here); unsafe routes need a sample body. A route missing
from this table fails the tests that enumerate the application's routes, so every new
route is covered by the scope and audit tests as soon as it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import imports as import_files
from tests.factories.world import Area
from zhucun.core.models import RoleGrant, User
from zhucun.core.permissions import Role


@dataclass
class Sample:
    params: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    data: dict[str, str] | None = None
    files: dict[str, Any] | None = None


def _user(session: Session, area: Area) -> User:
    return session.scalars(select(User).where(User.username == area.users[Role.HELPER])).one()


def _grant(session: Session, area: Area) -> int:
    return session.scalars(select(RoleGrant.id).where(RoleGrant.user_id == _user(session, area).id)).first()


PARAMS: dict[str, Callable[[Session, Area], Any]] = {
    "code": lambda s, a: a.village,
    "user_id": lambda s, a: _user(s, a).id,
    "grant_id": _grant,
    "import_id": import_files.refused_batch,
}


def _new_village_csv(area: Area) -> dict[str, Any]:
    code = area.township[:9] + "299"
    body = f"code,name,parent_code\n{code},新建测试村,{area.township}\n".encode()
    return {"file": ("villages.csv", body, "text/csv")}


def _user_json(area: Area, suffix: str) -> dict[str, Any]:
    return {"username": f"newuser_{suffix}", "display_name": "新用户", "password": "Newpass2026",
            "division_code": area.village, "grants": [{"role": "helper", "division_code": area.village}]}


BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
    ("POST", "/api/v1/auth/logout"): lambda a: Sample(),
    ("POST", "/api/v1/users"): lambda a: Sample(json=_user_json(a, a.county[-3:])),
    ("PATCH", "/api/v1/users/{user_id}"): lambda a: Sample(json={"display_name": "改名后"}),
    ("POST", "/api/v1/users/{user_id}/grants"): lambda a: Sample(json={"role": "helper", "division_code": a.township}),
    ("DELETE", "/api/v1/users/{user_id}/grants/{grant_id}"): lambda a: Sample(),
    ("POST", "/api/v1/users/{user_id}/password"): lambda a: Sample(json={"password": "Reset2026pw"}),
    ("POST", "/logout"): lambda a: Sample(data={}),
    ("POST", "/users/new"): lambda a: Sample(data={
        "username": f"newform_{a.county[-3:]}", "display_name": "新用户", "password": "Newpass2026",
        "role": "helper", "division_code": a.village, "unit_id": ""}),
    ("POST", "/users/{user_id}/active"): lambda a: Sample(data={"active": "0", "reason": "调离"}),
    ("POST", "/users/{user_id}/grants"): lambda a: Sample(data={"role": "helper", "division_code": a.township}),
    ("POST", "/users/{user_id}/grants/{grant_id}/delete"): lambda a: Sample(data={}),
    ("POST", "/users/{user_id}/password"): lambda a: Sample(data={"password": "Reset2026pw"}),
    ("PATCH", "/api/v1/divisions/{code}"): lambda a: Sample(json={"population": 4321, "reason": "核实人口"}),
    ("POST", "/api/v1/divisions/{code}/groups"): lambda a: Sample(json={"name": "新建组"}),
    ("POST", "/api/v1/divisions/import"): lambda a: Sample(files=_new_village_csv(a)),
    ("POST", "/divisions/import"): lambda a: Sample(files=_new_village_csv(a)),
    ("POST", "/divisions/{code}/edit"): lambda a: Sample(data={"name": "改名村", "population": "4321", "reason": "核实"}),
    ("POST", "/api/v1/imports/members"): lambda a: Sample(files=import_files.members_upload(a)),
    ("POST", "/imports/members"): lambda a: Sample(files=import_files.members_upload(a)),
    ("POST", "/api/v1/imports/cadres"): lambda a: Sample(files=import_files.cadres_upload(a)),
    ("POST", "/imports/cadres"): lambda a: Sample(files=import_files.cadres_upload(a)),
}

# Routes that act on the caller's own account only: nothing in them has an area.
SELF_ROUTES = {("POST", "/api/v1/auth/logout"), ("POST", "/logout"), ("GET", "/api/v1/auth/me"),
               ("GET", "/account"), ("GET", "/")}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def sample_for(session: Session, method: str, path: str, area: Area) -> Sample:
    """The request to send to ``method path`` about objects of ``area``; KeyError if missing."""
    sample = BODIES[(method, path)](area) if method in UNSAFE else Sample()
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    sample.params = {name: PARAMS[name](session, area) for name in names}
    return sample


def url_of(path: str, params: dict[str, Any]) -> str:
    return path.format(**params)
