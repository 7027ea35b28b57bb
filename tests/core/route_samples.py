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
from tests.factories.registry import id_number
from tests.factories.world import B_COUNTY, Area
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


def _new_village_csv(area: Area) -> dict[str, Any]:
    code = area.township[:9] + "299"
    body = f"code,name,parent_code\n{code},新建测试村,{area.township}\n".encode()
    return {"file": ("villages.csv", body, "text/csv")}


def _user_json(area: Area, suffix: str) -> dict[str, Any]:
    return {
        "username": f"newuser_{suffix}",
        "display_name": "新用户",
        "password": "Xinyonghu-mima-5512",
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
    ("POST", "/api/v1/cadres"): lambda a: Sample(json=_cadre_fields(a, 921)),
    ("PATCH", "/api/v1/cadres/{cadre_id}"): lambda a: Sample(json={"position": "科长", "reason": "职务调整"}),
    ("POST", "/api/v1/cadres/{cadre_id}/postings"): lambda a: Sample(
        json={"village_code": a.village, "role": "工作队员", "start_date": "2025-03-01"}
    ),
    ("POST", "/api/v1/postings/{posting_id}/end"): lambda a: Sample(
        json={"end_date": "2025-12-31", "end_reason": "任期届满"}
    ),
    ("POST", "/api/v1/cadres/{cadre_id}/reveal"): lambda a: Sample(json={"field": "id_number", "reason": "核对身份"}),
    ("POST", "/registry/cadres/new"): lambda a: Sample(data=_cadre_form(a, 922)),
    ("POST", "/registry/cadres/{cadre_id}/edit"): lambda a: Sample(
        data={
            "name": "李明",
            "position": "科长",
            "party_member": "1",
            "party_joined": "2010-07-01",
            "reason": "职务调整",
        }
    ),
    ("POST", "/registry/cadres/{cadre_id}/reveal"): lambda a: Sample(data={"field": "phone", "reason": "联系本人"}),
    ("POST", "/registry/cadres/{cadre_id}/postings"): lambda a: Sample(
        data={"village_code": a.village, "role": "3", "start_date": "2025-03-01"}
    ),
    ("POST", "/registry/postings/{posting_id}/end"): lambda a: Sample(
        data={"end_date": "2025-12-31", "end_reason": "任期届满"}
    ),
    ("POST", "/api/v1/villages/{code}/officials"): lambda a: Sample(
        json={"member_id": a.member_id, "post": "村党组织书记", "term_start": "2024-01-15"}
    ),
    ("POST", "/api/v1/officials/{official_id}/end"): lambda a: Sample(
        json={"term_end": "2025-12-31", "reason": "换届"}
    ),
    ("POST", "/registry/villages/{code}/officials"): lambda a: Sample(
        data={"member_id": str(a.member_id), "post": "11", "term_start": "2024-01-15"}
    ),
    ("POST", "/registry/officials/{official_id}/end"): lambda a: Sample(
        data={"term_end": "2025-12-31", "reason": "换届"}
    ),
    ("POST", "/api/v1/households"): lambda a: Sample(json=_household_json(a)),
    ("PATCH", "/api/v1/households/{household_id}"): lambda a: Sample(
        json={"address": "新地址 1 号", "reason": "入户核实"}
    ),
    ("POST", "/api/v1/households/{household_id}/members"): lambda a: Sample(
        json={
            "name": "张小军",
            "id_number": id_number(a.county[:6], "20100101", male=True, seq=903),
            "relation": "孙子",
        }
    ),
    ("PUT", "/api/v1/households/{household_id}/incomes/{year}"): lambda a: Sample(
        json={"wage": "12000", "production": "3000", "transfer": "2400", "reason": "年度收入核算"}
    ),
    ("POST", "/api/v1/households/{household_id}/reveal"): lambda a: Sample(
        json={"field": "phone", "reason": "电话回访"}
    ),
    ("PATCH", "/api/v1/members/{member_id}"): lambda a: Sample(json={"education": "3", "reason": "核实学历"}),
    ("POST", "/api/v1/members/{member_id}/remove"): lambda a: Sample(json={"status": "3", "reason": "户籍迁出"}),
    ("POST", "/api/v1/members/{member_id}/move"): lambda a: Sample(
        json={"household_id": a.household2_id, "relation": "子", "reason": "分户"}
    ),
    ("POST", "/api/v1/members/{member_id}/reveal"): lambda a: Sample(json={"field": "id_number", "reason": "核对身份"}),
    ("POST", "/registry/households/new"): lambda a: Sample(
        data={
            "household_no": a.county[:6] + "9002",
            "village_code": a.village,
            "status": "22",
            "attribute": "1",
            "head_name": "陈志强",
            "head_id_number": id_number(a.county[:6], "19750505", male=True, seq=904),
        }
    ),
    ("POST", "/registry/households/{household_id}/edit"): lambda a: Sample(
        data={"status": "14", "attribute": "1", "housing_safe": "1", "water_safe": "1", "reason": "年度核查"}
    ),
    ("POST", "/registry/households/{household_id}/members"): lambda a: Sample(
        data={"name": "张小芳", "id_number": id_number(a.county[:6], "20120303", male=False, seq=905), "relation": "42"}
    ),
    ("POST", "/registry/households/{household_id}/reveal"): lambda a: Sample(data={"field": "phone", "reason": "回访"}),
    ("POST", "/registry/members/{member_id}/reveal"): lambda a: Sample(data={"field": "id_number", "reason": "核对"}),
    ("POST", "/registry/members/{member_id}/edit"): lambda a: Sample(
        data={"name": "张小明", "relation": "20", "education": "4", "reason": "核实学历"}
    ),
    ("POST", "/registry/members/{member_id}/remove"): lambda a: Sample(data={"status": "3", "reason": "户籍迁出"}),
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
    ("PATCH", "/api/v1/divisions/{code}"): lambda a: Sample(json={"population": 4321, "reason": "核实人口"}),
    ("POST", "/api/v1/divisions/{code}/groups"): lambda a: Sample(json={"name": "新建组"}),
    ("POST", "/api/v1/divisions/import"): lambda a: Sample(files=_new_village_csv(a)),
    ("POST", "/divisions/import"): lambda a: Sample(files=_new_village_csv(a)),
    ("POST", "/divisions/{code}/edit"): lambda a: Sample(
        data={"name": "改名村", "population": "4321", "reason": "核实"}
    ),
    ("POST", "/api/v1/kin"): lambda a: Sample(
        json={"member_a": a.member_id, "member_b": a.kin_b, "kind": "other", "reason": "村民代表证实"}
    ),
    ("POST", "/api/v1/kin/{member_a}/{member_b}/remove"): lambda a: Sample(json={"reason": "登记有误"}),
    ("POST", "/registry/members/{member_id}/kin"): lambda a: Sample(
        data={"other": str(a.kin_b), "kind": "child", "reason": "村民代表证实"}
    ),
    ("POST", "/registry/kin/{member_a}/{member_b}/remove"): lambda a: Sample(
        data={"reason": "登记有误", "back": str(a.kin_a)}
    ),
    ("POST", "/api/v1/duplicates/{member_id}/resolve"): lambda a: Sample(
        json={"outcome": "moved_out", "reason": "已在外县落户"}
    ),
    ("POST", "/registry/duplicates/{member_id}/resolve"): lambda a: Sample(
        data={"outcome": "not_same_person", "reason": "身份证号录入错误"}
    ),
    ("POST", "/api/v1/snapshots"): lambda a: Sample(
        json={"county": a.county[:6], "year": 2024, "reason": "年度动态调整"}
    ),
    ("POST", "/registry/snapshots"): lambda a: Sample(data={"county": a.county, "year": "2023", "reason": "补冻结"}),
    ("POST", "/api/v1/imports/members"): lambda a: Sample(files=import_files.members_upload(a)),
    ("POST", "/imports/members"): lambda a: Sample(files=import_files.members_upload(a)),
    ("POST", "/api/v1/imports/cadres"): lambda a: Sample(files=import_files.cadres_upload(a)),
    ("POST", "/imports/cadres"): lambda a: Sample(files=import_files.cadres_upload(a)),
}

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
    sample = BODIES[(method, path)](area) if method in UNSAFE else Sample()
    names = re.findall(r"\{(\w+)\}", path)
    sample.params = {name: PARAMS[name](session, area) for name in names}
    return sample


def url_of(path: str, params: dict[str, Any]) -> str:
    return path.format(**params)
