"""Sample requests for the registry routes, for the route × role tests (collected by
``tests/core/route_samples.py`` through the mechanism's manifest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.core.route_samples import Sample
from tests.factories import imports as import_files
from tests.factories.registry import id_number
from tests.factories.world import Area


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


BODIES: dict[tuple[str, str], Callable[[Area], Sample]] = {
    ("POST", "/api/v1/villages/{code}/officials"): lambda a: Sample(
        json={"member_id": a.member_id, "post": "村党组织书记", "term_start": "2024-01-15"}
    ),
    ("POST", "/api/v1/officials/{county_code}/{official_id}/end"): lambda a: Sample(
        json={"term_end": "2025-12-31", "reason": "换届"}
    ),
    ("POST", "/registry/villages/{code}/officials"): lambda a: Sample(
        data={"member_id": str(a.member_id), "post": "11", "term_start": "2024-01-15"}
    ),
    ("POST", "/registry/officials/{county_code}/{official_id}/end"): lambda a: Sample(
        data={"term_end": "2025-12-31", "reason": "换届"}
    ),
    ("POST", "/api/v1/households"): lambda a: Sample(json=_household_json(a)),
    ("PATCH", "/api/v1/households/{county_code}/{household_id}"): lambda a: Sample(
        json={"address": "新地址 1 号", "reason": "入户核实"}
    ),
    ("POST", "/api/v1/households/{county_code}/{household_id}/members"): lambda a: Sample(
        json={
            "name": "张小军",
            "id_number": id_number(a.county[:6], "20100101", male=True, seq=903),
            "relation": "孙子",
        }
    ),
    ("PUT", "/api/v1/households/{county_code}/{household_id}/incomes/{year}"): lambda a: Sample(
        json={"wage": "12000", "production": "3000", "transfer": "2400", "reason": "年度收入核算"}
    ),
    ("POST", "/api/v1/households/{county_code}/{household_id}/reveal"): lambda a: Sample(
        json={"field": "phone", "reason": "电话回访"}
    ),
    ("PATCH", "/api/v1/members/{county_code}/{member_id}"): lambda a: Sample(
        json={"education": "3", "reason": "核实学历"}
    ),
    ("POST", "/api/v1/members/{county_code}/{member_id}/remove"): lambda a: Sample(
        json={"status": "3", "reason": "户籍迁出"}
    ),
    ("POST", "/api/v1/members/{county_code}/{member_id}/move"): lambda a: Sample(
        json={"household_id": a.household2_id, "relation": "子", "reason": "分户"}
    ),
    ("POST", "/api/v1/members/{county_code}/{member_id}/reveal"): lambda a: Sample(
        json={"field": "id_number", "reason": "核对身份"}
    ),
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
    ("POST", "/registry/households/{county_code}/{household_id}/edit"): lambda a: Sample(
        data={"status": "14", "attribute": "1", "housing_safe": "1", "water_safe": "1", "reason": "年度核查"}
    ),
    ("POST", "/registry/households/{county_code}/{household_id}/members"): lambda a: Sample(
        data={"name": "张小芳", "id_number": id_number(a.county[:6], "20120303", male=False, seq=905), "relation": "42"}
    ),
    ("POST", "/registry/households/{county_code}/{household_id}/incomes"): lambda a: Sample(
        data={"year": "2025", "wage": "12000", "production": "3000", "transfer": "2400", "reason": "入户核实收入"}
    ),
    ("POST", "/registry/households/{county_code}/{household_id}/reveal"): lambda a: Sample(
        data={"field": "phone", "reason": "回访"}
    ),
    ("POST", "/registry/households/{county_code}/{household_id}/phone"): lambda a: Sample(data={"reason": "电话回访"}),
    ("POST", "/registry/members/{county_code}/{member_id}/reveal"): lambda a: Sample(
        data={"field": "id_number", "reason": "核对"}
    ),
    ("POST", "/registry/members/{county_code}/{member_id}/edit"): lambda a: Sample(
        data={"name": "张小明", "relation": "20", "education": "4", "reason": "核实学历"}
    ),
    ("POST", "/registry/members/{county_code}/{member_id}/remove"): lambda a: Sample(
        data={"status": "3", "reason": "户籍迁出"}
    ),
    ("POST", "/api/v1/kin"): lambda a: Sample(
        json={
            "county_code": a.county[:6],
            "member_a": a.member_id,
            "member_b": a.kin_b,
            "kind": "other",
            "reason": "村民代表证实",
        }
    ),
    ("POST", "/api/v1/kin/{county_code}/{member_a}/{member_b}/remove"): lambda a: Sample(json={"reason": "登记有误"}),
    ("POST", "/registry/members/{county_code}/{member_id}/kin"): lambda a: Sample(
        data={"other": str(a.kin_b), "kind": "child", "reason": "村民代表证实"}
    ),
    ("POST", "/registry/kin/{county_code}/{member_a}/{member_b}/remove"): lambda a: Sample(
        data={"reason": "登记有误", "back": str(a.kin_a)}
    ),
    ("POST", "/api/v1/duplicates/{county_code}/{member_id}/resolve"): lambda a: Sample(
        json={"outcome": "moved_out", "reason": "已在外县落户"}
    ),
    ("POST", "/registry/duplicates/{county_code}/{member_id}/resolve"): lambda a: Sample(
        data={"outcome": "not_same_person", "reason": "身份证号录入错误"}
    ),
    ("POST", "/api/v1/snapshots"): lambda a: Sample(
        json={"county": a.county[:6], "year": 2024, "reason": "年度动态调整"}
    ),
    ("POST", "/registry/snapshots"): lambda a: Sample(data={"county": a.county, "year": "2023", "reason": "补冻结"}),
    # The import engine's routes for the registry's kind (registry.import_kind.MEMBERS).
    ("POST", "/api/v1/imports/members"): lambda a: Sample(files=import_files.members_upload(a)),
    ("POST", "/imports/members"): lambda a: Sample(files=import_files.members_upload(a)),
}
