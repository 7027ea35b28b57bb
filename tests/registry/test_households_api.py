"""Households and members through the API: registration rules, search through the keyed
hash, masking and audited revealing, history, exports."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select, text

from tests.factories.registry import id_number
from zhucun.core.audit import AuditEntry
from zhucun.registry.models import Member, RegistryChange

HEAD_ID = id_number("522799", "19580808", male=True, seq=511)
WIFE_ID = id_number("522799", "19600909", male=False, seq=512)


def _new_household(world, **extra):
    return {
        "household_no": "5227990777",
        "village_code": world.a.village,
        "status": "21",
        "attribute": "2",
        "main_cause": "因病",
        "other_causes": ["缺技术", "10"],
        "address": '=HYPERLINK("http://x")',
        "phone": "13912345678",
        "members": [
            {"name": "杨正发", "id_number": HEAD_ID.lower(), "relation": "户主"},
            {"name": "吴桂兰", "id_number": WIFE_ID, "relation": "配偶", "ethnicity": "布依族"},
        ],
        **extra,
    }


def test_a_first_secretary_registers_a_household_with_masked_numbers(api, world, session):
    response = api("shuji").post("/api/v1/households", json=_new_household(world))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["head_name"] == "杨正发" and body["member_count"] == 2
    assert body["other_causes"] == "08,10" and body["attribute"] == "2"
    ids = {m["name"]: m["id_masked"] for m in body["members"]}
    assert ids["杨正发"] == HEAD_ID[:6] + "********" + HEAD_ID[-4:]
    assert HEAD_ID not in response.text and "13912345678" not in response.text
    wife = next(m for m in body["members"] if m["name"] == "吴桂兰")
    assert wife["gender"] == "2" and wife["birth_date"] == "1960-09-09" and wife["ethnicity"] == "09"
    changes = session.scalar(
        select(func.count()).select_from(RegistryChange).where(RegistryChange.household_id == body["id"])
    )
    assert changes == 3  # the household and its two members


def test_one_person_one_household(api, world):
    shuji = api("shuji")
    assert shuji.post("/api/v1/households", json=_new_household(world)).status_code == 201
    again = shuji.post("/api/v1/households", json=_new_household(world, household_no="5227990778"))
    assert again.status_code == 409
    assert again.json()["code"] == "already_registered" and again.json()["field"] == "members.0.id_number"
    twice = _new_household(world, household_no="5227990779")
    twice["members"][1]["id_number"] = HEAD_ID
    assert shuji.post("/api/v1/households", json=twice).json()["code"] == "duplicate_person"


def test_a_household_has_one_head_and_valid_numbers(api, world):
    two_heads = _new_household(world)
    two_heads["members"][1]["relation"] = "户主"
    response = api("shuji").post("/api/v1/households", json=two_heads)
    assert response.status_code == 422 and response.json()["code"] == "one_head"
    bad = _new_household(world)
    bad["members"][0]["id_number"] = HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")
    response = api("shuji").post("/api/v1/households", json=bad, headers={"Accept-Language": "en"})
    assert response.status_code == 422
    assert response.json()["field"] == "members.0.id_number"
    assert "check character" in response.json()["errors"][0]["message"]


def test_out_of_scope_village_is_refused(api, world):
    response = api("shuji").post("/api/v1/households", json=_new_household(world, village_code=world.b.village))
    assert response.status_code == 404


def test_search_by_id_number_goes_through_the_keyed_hash(api, world):
    api("shuji").post("/api/v1/households", json=_new_household(world))
    township = api("zhen")
    found = township.get("/api/v1/members", params={"q": f" {HEAD_ID.lower()} "}).json()["items"]
    assert [m["name"] for m in found] == ["杨正发"]
    assert township.get("/api/v1/members", params={"q": HEAD_ID[:10]}).json()["items"] == []
    households = township.get("/api/v1/households", params={"q": WIFE_ID}).json()["items"]
    assert [h["household_no"] for h in households] == ["5227990777"]
    by_name = township.get("/api/v1/households", params={"q": "杨正"}).json()["items"]
    assert [h["head_name"] for h in by_name] == ["杨正发"]


def test_revealing_needs_the_right_and_a_reason_and_is_audited(api, world, session):
    household = api("shuji").post("/api/v1/households", json=_new_household(world)).json()
    member = next(m for m in household["members"] if m["name"] == "杨正发")
    url = f"/api/v1/members/{member['county_code']}/{member['id']}/reveal"
    assert api("cunwei").post(url, json={"field": "id_number", "reason": "核对"}).status_code == 403
    assert api("shuji").post(url, json={"field": "id_number"}).status_code == 422
    response = api("shuji").post(url, json={"field": "id_number", "reason": "办理医保核对身份"})
    assert response.status_code == 200 and response.json()["value"] == HEAD_ID
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "core:person:unmasked").order_by(AuditEntry.at.desc())
    ).first()
    assert entry.reason == "办理医保核对身份" and entry.actor_name == "shuji"
    assert HEAD_ID not in str(entry.after) and entry.entity_id == str(member["id"])


def test_changes_keep_before_after_and_reason(api, world):
    household = api("shuji").post("/api/v1/households", json=_new_household(world)).json()
    url = f"/api/v1/households/{household['county_code']}/{household['id']}"
    assert api("shuji").patch(url, json={"status": "12"}).status_code == 422  # a reason is required
    assert (
        api("shuji")
        .patch(url, json={"status": "12", "exited_year": 2025, "reason": "收入稳定，经核实脱贫"})
        .status_code
        == 200
    )
    history = api("shuji").get(url + "/history").json()["items"]
    latest = history[0]
    assert latest["action"] == "updated" and latest["reason"] == "收入稳定，经核实脱贫"
    assert latest["before"] == {"status": "21", "exited_year": None}
    assert latest["after"] == {"status": "12", "exited_year": 2025}


def test_moving_a_member_keeps_one_household(api, world, session):
    member = session.get(Member, (world.a.county[:6], world.a.member_id))
    response = api("shuji").post(
        f"/api/v1/members/{member.county_code}/{member.id}/move",
        json={"household_id": world.a.household2_id, "relation": "子", "reason": "分户"},
    )
    assert response.status_code == 200
    target = api("shuji").get(f"/api/v1/households/{world.a.county_code}/{world.a.household2_id}").json()
    assert member.id in [m["id"] for m in target["members"]] and target["member_count"] == 3


def test_export_is_masked_and_safe_to_open(api, world):
    api("shuji").post("/api/v1/households", json=_new_household(world))
    response = api("zhen").get("/api/v1/members/export.csv", params={"village": world.a.village})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["户编号", "村", "村代码", "姓名"]
    assert HEAD_ID not in response.text and HEAD_ID[:6] + "********" + HEAD_ID[-4:] in response.text
    households = api("zhen").get("/api/v1/households/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in households
    assert api("bangfu").get("/api/v1/members/export.csv", params={"unmask": "true", "reason": "x"}).status_code == 403
    revealed = api("zhen").get("/api/v1/members/export.xlsx", params={"unmask": "true", "reason": "报送医保部门"})
    assert revealed.status_code == 200 and revealed.content[:2] == b"PK"


def test_the_database_holds_no_id_number_in_clear(api, world, session):
    api("shuji").post("/api/v1/households", json=_new_household(world))
    rows = session.execute(text("SELECT * FROM members")).all()
    assert HEAD_ID not in repr(rows) and HEAD_ID.encode() not in b"".join(
        bytes(v) for row in rows for v in row if isinstance(v, (bytes, memoryview))
    )


def test_exports_name_the_village_and_the_household(api, world, session):
    from sqlalchemy import select

    from zhucun.divisions.models import Division
    from zhucun.registry.models import Household, Member

    village = session.scalar(select(Division.name).where(Division.code == world.a.village))
    member = session.scalar(select(Member).where(Member.id == world.a.member_id))
    number = session.scalar(select(Household.household_no).where(Household.id == member.household_id))
    members = list(csv.reader(io.StringIO(api("zhen").get("/api/v1/members/export.csv").content.decode("utf-8-sig"))))
    row = next(r for r in members[1:] if r[3] == member.name and r[0] == number)
    assert row[1:3] == [village, member.village_code]
    households = list(
        csv.reader(io.StringIO(api("zhen").get("/api/v1/households/export.csv").content.decode("utf-8-sig")))
    )
    assert households[0][:3] == ["户编号", "村", "村代码"]
    assert any(r[0] == number and r[1] == village for r in households[1:])
