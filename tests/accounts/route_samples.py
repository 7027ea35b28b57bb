"""Sample requests for the accounts routes, for the route × role tests (collected by
``tests/core/route_samples.py`` through the mechanism's manifest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.core.route_samples import Sample
from tests.factories.world import B_COUNTY, Area


def _user_json(area: Area, suffix: str) -> dict[str, Any]:
    return {
        "username": f"newuser_{suffix}",
        "display_name": "新用户",
        "password": "Xinyonghu-mima-5512",
        "division_code": area.village,
        "grants": [{"role": "helper", "division_code": area.village}],
    }


def _other_county(area: Area) -> str:
    """A county the area's unit is not paired with yet (the other county of the world)."""
    return "522799000000" if area.county == B_COUNTY[0] else B_COUNTY[0]


def _unit_json(area: Area) -> dict[str, Any]:
    return {
        "name": f"测试派出单位{area.county[:6]}",
        "level": "city",
        "kind": "public_institution",
        "division_code": area.county,
        "paired_counties": [area.county[:6]],
    }


BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
    ("POST", "/api/v1/units"): lambda a: Sample(json=_unit_json(a)),
    ("PATCH", "/api/v1/units/{unit_id}"): lambda a: Sample(json={"kind": "state_firm", "reason": "改制"}),
    ("POST", "/api/v1/units/{unit_id}/pairings"): lambda a: Sample(json={"division_code": _other_county(a)}),
    ("DELETE", "/api/v1/units/{unit_id}/pairings/{county}"): lambda a: Sample(),
    ("POST", "/registry/units/new"): lambda a: Sample(
        data={"name": f"测试表单单位{a.county[:6]}", "level": "county", "kind": "government", "division_code": a.county}
    ),
    ("POST", "/registry/units/{unit_id}/edit"): lambda a: Sample(data={"kind": "state_firm", "reason": "改制"}),
    ("POST", "/registry/units/{unit_id}/pairings"): lambda a: Sample(data={"division_code": _other_county(a)}),
    ("POST", "/registry/units/{unit_id}/pairings/{county}/delete"): lambda a: Sample(data={}),
    ("POST", "/api/v1/auth/logout"): lambda a: Sample(),
    ("POST", "/api/v1/users"): lambda a: Sample(json=_user_json(a, a.county[-3:])),
    ("PATCH", "/api/v1/users/{user_id}"): lambda a: Sample(json={"display_name": "改名后"}),
    ("POST", "/api/v1/users/{user_id}/grants"): lambda a: Sample(json={"role": "helper", "division_code": a.township}),
    ("DELETE", "/api/v1/users/{user_id}/grants/{grant_id}"): lambda a: Sample(),
    ("POST", "/api/v1/users/{user_id}/password"): lambda a: Sample(json={"password": "Qinglan-reset-4417"}),
    ("POST", "/logout"): lambda a: Sample(data={}),
    ("POST", "/users/new"): lambda a: Sample(
        data={
            "username": f"newform_{a.county[-3:]}",
            "display_name": "新用户",
            "password": "Xinyonghu-mima-5512",
            "role": "helper",
            "division_code": a.village,
            "unit_id": "",
        }
    ),
    ("POST", "/users/{user_id}/active"): lambda a: Sample(data={"active": "0", "reason": "调离"}),
    ("POST", "/users/{user_id}/unlock"): lambda a: Sample(data={}),
    ("POST", "/api/v1/users/{user_id}/unlock"): lambda a: Sample(),
    ("POST", "/users/{user_id}/grants"): lambda a: Sample(data={"role": "helper", "division_code": a.township}),
    ("POST", "/users/{user_id}/grants/{grant_id}/delete"): lambda a: Sample(data={}),
    ("POST", "/users/{user_id}/password"): lambda a: Sample(data={"password": "Qinglan-reset-4417"}),
}
