"""Sample requests for every route, for the table-driven route tests.

Path parameters are filled by name from an area of the test world (so a route on a new
kind of object needs a line here); unsafe routes need a sample body. A route missing
from this table fails the tests that enumerate the application's routes, so every new
route is covered by the scope and audit tests as soon as it exists.
"""

from __future__ import annotations

import re
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
    "household_id": lambda s, a: a.household_id,
    "member_id": lambda s, a: a.member_id,
    "fmt": lambda s, a: "csv",
    "year": lambda s, a: 2025,
    "unit_id": lambda s, a: a.unit_id,
    "county": lambda s, a: a.county,
    "cadre_id": lambda s, a: a.cadre_id,
    "posting_id": lambda s, a: a.posting_id,
    "official_id": lambda s, a: a.official_id,
    "member_a": lambda s, a: a.kin_a,
    "member_b": lambda s, a: a.kin_b,
    "county_code": lambda s, a: a.county[:6],
    "import_id": import_files.refused_batch,
}
# Parameters that shape the answer rather than name an object of an area.
NOT_OBJECTS = {"fmt", "year"}


def _collect() -> dict[tuple[str, str], Callable[[Area], Sample]]:
    """Every mechanism's samples, found through the manifests: a new mechanism's routes are
    covered as soon as its ``tests/<mechanism>/route_samples.py`` exists."""
    import importlib

    from zhucun.core.mechanism import manifests

    bodies: dict[tuple[str, str], Callable[[Area], Sample]] = {}
    for mechanism in manifests():
        if mechanism.tests is None:
            continue
        try:
            module = importlib.import_module(f"tests.{mechanism.tests}.route_samples")
        except ModuleNotFoundError as exc:
            if not f"tests.{mechanism.tests}.route_samples".startswith(exc.name or "?"):
                raise
            continue
        bodies.update(module.BODIES)
        PARAMS.update(getattr(module, "PARAMS", {}))
    return bodies


# Routes that act on the caller's own account only: nothing in them has an area.
SELF_ROUTES = {
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/logout"),
    ("GET", "/api/v1/auth/me"),
    ("GET", "/account"),
    ("GET", "/"),
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def sample_for(session: Session, method: str, path: str, area: Area) -> Sample:
    """The request to send to ``method path`` about objects of ``area``; KeyError if missing."""
    from zhucun.core.addressing import OLD_PATHS

    # An old path (core.addressing) takes the sample of the path it redirects to.
    key = (method, path) if (method, path) in BODIES else (method, OLD_PATHS.get((method, path), path))
    sample = BODIES[key](area) if method in UNSAFE else Sample()
    names = re.findall(r"\{(\w+)(?::\w+)?\}", path)
    sample.params = {name: PARAMS[name](session, area) for name in names}
    return sample


def url_of(path: str, params: dict[str, Any]) -> str:
    """The URL of a route's path (``{household_id:int}``, an old path's convertor, dropped)."""
    return re.sub(r"\{(\w+):\w+\}", r"{\1}", path).format(**params)


BODIES = _collect()
