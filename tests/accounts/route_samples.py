"""Sample requests for the accounts routes, for the route × role tests (collected by
``tests/core/route_samples.py`` through the mechanism's manifest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.core.route_samples import Sample
from tests.factories.registry import id_number
from tests.factories.world import B_COUNTY, Area


def _new_village_csv(area: Area) -> dict[str, Any]:
    code = area.township[:9] + "299"
    body = f"code,name,parent_code\n{code},新建测试村,{area.township}\n".encode()
    return {"file": ("villages.csv", body, "text/csv")}


def _user_json(area: Area, suffix: str) -> dict[str, Any]:
    return {
        "username": f"newuser_{suffix}",
        "display_name": "新用户",
        "password": "Newpass2026",
        "division_code": area.village,
        "grants": [{"role": "helper", "division_code": area.village}],
    }


def _household_json(area: Area) -> dict[str, Any]:
    region = area.county[:6]
    return {
        "household_no": region + "9001",
        "village_code": area.village,
        "status": "22",
        "members": [
            {"name": "王大山", "id_number": id_number(region, "19700101", male=True, seq=901), "relation": "户主"},
            {"name": "刘小花", "id_number": id_number(region, "19720202", male=False, seq=902), "relation": "妻"},
        ],
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


def _cadre_fields(area: Area, seq: int) -> dict[str, Any]:
    return {
        "name": "赵志刚",
        "id_number": id_number(area.county[:6], "19880808", male=True, seq=seq),
        "division_code": area.county,
        "unit_id": area.unit_id,
        "party_member": True,
        "party_joined": "2012-05-04",
        "work_started": "2011-07-01",
        "education": "2",
        "rank": "41",
    }


def _cadre_form(area: Area, seq: int) -> dict[str, str]:
    return {k: ("1" if v is True else str(v)) for k, v in _cadre_fields(area, seq).items()}


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
    ("POST", "/api/v1/users/{user_id}/password"): lambda a: Sample(json={"password": "Reset2026pw"}),
    ("POST", "/logout"): lambda a: Sample(data={}),
    ("POST", "/users/new"): lambda a: Sample(
        data={
            "username": f"newform_{a.county[-3:]}",
            "display_name": "新用户",
            "password": "Newpass2026",
            "role": "helper",
            "division_code": a.village,
            "unit_id": "",
        }
    ),
    ("POST", "/users/{user_id}/active"): lambda a: Sample(data={"active": "0", "reason": "调离"}),
    ("POST", "/users/{user_id}/grants"): lambda a: Sample(data={"role": "helper", "division_code": a.township}),
    ("POST", "/users/{user_id}/grants/{grant_id}/delete"): lambda a: Sample(data={}),
    ("POST", "/users/{user_id}/password"): lambda a: Sample(data={"password": "Reset2026pw"}),
}
