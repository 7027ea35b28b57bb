"""Cadres through the API: registration checked against the ID number, one record per
person in a county, masking and audited revealing, changes with a reason and their
history, eligibility facts, search through the keyed hash, a unit's own cadres, exports."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select, text

from tests.factories.registry import id_number
from zhucun.core.audit import AuditEntry

CADRE_ID = id_number("522799", "19900315", male=False, seq=731)


def _cadre(world, **extra):
    return {
        "name": "王晓燕",
        "id_number": CADRE_ID,
        "division_code": world.a.county,
        "unit_id": world.a.unit_id,
        "ethnicity": "苗族",
        "phone": "13698765432",
        "education": "大学本科",
        "rank": "科员",
        "party_member": True,
        "party_joined": "2014-06-20",
        "work_started": "2013-07-01",
        "speciality": "农业经济",
        "skills": "电商运营",
        "hometown_code": "522799",
        "health": "健康",
        **extra,
    }


def test_a_cadre_is_registered_with_masked_numbers_and_eligibility_facts(api, world):
    response = api("zzb").post("/api/v1/cadres", json=_cadre(world))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["county_code"] == "522799" and body["gender"] == "2" and body["birth_date"] == "1990-03-15"
    assert body["id_masked"] == CADRE_ID[:6] + "********" + CADRE_ID[-4:] and body["phone_masked"] == "136****5432"
    assert CADRE_ID not in response.text and "13698765432" not in response.text
    assert (body["ethnicity"], body["education"], body["rank"], body["health"]) == ("06", "2", "41", "1")
    assert body["hometown_code"] == "522799000000" and body["unit_name"] == "贵州省交通运输厅"
    assert body["eligibility"] == {"age": 36, "years_of_work": 13, "years_in_party": 12}
    assert body["postings"] == [] and body["current_posting"] is None


def test_the_id_number_decides_gender_and_birth_date(api, world):
    zzb = api("zzb")
    wrong = zzb.post("/api/v1/cadres", json=_cadre(world, gender="男"), headers={"Accept-Language": "en"})
    assert wrong.status_code == 422 and "does not match the ID number" in wrong.json()["errors"][0]["message"]
    wrong_check = CADRE_ID[:-1] + ("1" if CADRE_ID[-1] != "1" else "2")
    bad = zzb.post("/api/v1/cadres", json=_cadre(world, id_number=wrong_check))
    assert bad.status_code == 422 and bad.json()["field"] == "id_number"
    assert "校验码" in bad.json()["errors"][0]["message"]


def test_one_record_per_person_in_a_county(api, world):
    assert api("zzb").post("/api/v1/cadres", json=_cadre(world)).status_code == 201
    again = api("zzb").post("/api/v1/cadres", json=_cadre(world, name="王小燕"))
    assert again.status_code == 409 and again.json()["field"] == "id_number" and "王晓燕" in again.json()["message"]


def test_implausible_dates_and_unknown_references_are_located(api, world):
    zzb = api("zzb")
    early = zzb.post("/api/v1/cadres", json=_cadre(world, work_started="1989-01-01"), headers={"Accept-Language": "en"})
    assert early.status_code == 422 and early.json()["field"] == "work_started"
    assert "before the birth date" in early.json()["message"]
    joined = zzb.post("/api/v1/cadres", json=_cadre(world, party_member=False))
    assert joined.json()["field"] == "party_joined"
    assert zzb.post("/api/v1/cadres", json=_cadre(world, unit_id=world.b.unit_id)).json()["field"] == "unit_id"
    assert zzb.post("/api/v1/cadres", json=_cadre(world, hometown_code="469099")).json()["field"] == "hometown_code"
    unknown = zzb.post("/api/v1/cadres", json=_cadre(world, division_code="522799999999"))
    assert unknown.status_code == 404
    # Not posted yet, a cadre serves in the county: a posting alone moves them to a village.
    village = zzb.post("/api/v1/cadres", json=_cadre(world, division_code=world.a.village))
    assert village.status_code == 422 and village.json()["code"] == "not_a_county"


def test_other_county_is_out_of_reach(api, world):
    zzb = api("zzb")
    assert zzb.get(f"/api/v1/cadres/{world.b.county_code}/{world.b.cadre_id}").status_code == 404
    assert (
        zzb.patch(
            f"/api/v1/cadres/{world.b.county_code}/{world.b.cadre_id}", json={"position": "x", "reason": "调整"}
        ).status_code
        == 404
    )
    assert zzb.post("/api/v1/cadres", json=_cadre(world, division_code=world.b.county, unit_id=None)).status_code == 404
    names = [c["name"] for c in zzb.get("/api/v1/cadres").json()["items"]]
    assert sorted(names) == ["张卫东", "李明"]


def test_a_units_account_sees_and_manages_only_its_own_cadres(api, world):
    other_unit = api("zzb").get("/api/v1/units", params={"q": "贵州大学"}).json()["items"][0]["id"]
    stranger = api("zzb").post("/api/v1/cadres", json=_cadre(world, unit_id=other_unit)).json()
    danwei = api("danwei")
    assert sorted(c["name"] for c in danwei.get("/api/v1/cadres").json()["items"]) == ["张卫东", "李明"]
    assert danwei.get(f"/api/v1/cadres/{stranger['county_code']}/{stranger['id']}").status_code == 404
    assert (
        danwei.patch(
            f"/api/v1/cadres/{stranger['county_code']}/{stranger['id']}", json={"position": "x", "reason": "调整"}
        ).status_code
        == 404
    )
    assert danwei.get(f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}").status_code == 200
    moved = danwei.patch(
        f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}", json={"unit_id": other_unit, "reason": "调动"}
    )
    # A unit's account sees no other unit: it answers the same 404 as a missing unit.
    assert moved.status_code == 404 and moved.json()["code"] == "not_found"
    assert moved.json()["field"] == "unit_id"
    own_id = id_number("522799", "19920101", male=True, seq=732)
    own = danwei.post("/api/v1/cadres", json=_cadre(world, id_number=own_id, name="陈刚"))
    assert own.status_code == 201
    foreign = danwei.post(
        "/api/v1/cadres",
        json=_cadre(world, id_number=id_number("522799", "19930101", male=True, seq=733), unit_id=other_unit),
    )
    assert foreign.status_code == 404 and foreign.json()["field"] == "unit_id"
    assert danwei.get(f"/api/v1/units/{other_unit}").status_code == 404
    # The same person is not registered twice, even by someone who cannot see the first record.
    clash = danwei.post("/api/v1/cadres", json=_cadre(world))
    assert clash.status_code == 409 and "王晓燕" not in clash.json()["message"]


def test_changes_need_a_reason_and_keep_history(api, world):
    url = f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}"
    zzb = api("zzb")
    assert zzb.patch(url, json={"position": "科长"}).status_code == 422
    response = zzb.patch(url, json={"position": "科长", "phone": "13500001111", "reason": "职务调整"})
    assert response.status_code == 200 and response.json()["phone_masked"] == "135****1111"
    history = zzb.get(url + "/history").json()["items"]
    latest = history[0]
    assert latest["action"] == "updated" and latest["reason"] == "职务调整"
    assert latest["before"]["position"] is None and latest["after"]["position"] == "科长"
    assert latest["after"]["phone_masked"] == "135****1111" and "13500001111" not in str(latest)
    assert [h["action"] for h in history[-3:]] == ["posting_ended", "posted", "created"]


def test_revealing_needs_the_right_and_a_reason_and_is_audited(api, world, session):
    created = api("zzb").post("/api/v1/cadres", json=_cadre(world)).json()
    url = f"/api/v1/cadres/{created['county_code']}/{created['id']}/reveal"
    assert api("zzb").post(url, json={"field": "id_number", "reason": "核对"}).status_code == 403
    assert api("jiwei").post(url, json={"field": "id_number"}).status_code == 422
    assert api("jiwei").post(url, json={"field": "bank_account", "reason": "核对"}).status_code == 422
    shown = api("jiwei").post(url, json={"field": "id_number", "reason": "线索核查"})
    assert shown.status_code == 200 and shown.json() == {"field": "id_number", "value": CADRE_ID}
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "core:person:unmasked")).one()
    assert entry.entity == "cadre" and entry.entity_id == str(created["id"]) and entry.reason == "线索核查"
    assert CADRE_ID not in str(entry.after) and CADRE_ID not in str(entry.before)


def test_search_by_name_id_number_unit_and_posting(api, world):
    created = api("zzb").post("/api/v1/cadres", json=_cadre(world)).json()
    township = api("zhen")
    assert township.get("/api/v1/cadres", params={"q": CADRE_ID.lower()}).json()["items"] == []  # not in the township
    zzb = api("zzb")
    found = zzb.get("/api/v1/cadres", params={"q": f" {CADRE_ID} "}).json()["items"]
    assert [c["id"] for c in found] == [created["id"]]
    assert zzb.get("/api/v1/cadres", params={"q": CADRE_ID[:12]}).json()["items"] == []
    assert [c["name"] for c in zzb.get("/api/v1/cadres", params={"q": "王晓"}).json()["items"]] == ["王晓燕"]
    assert [c["name"] for c in zzb.get("/api/v1/cadres", params={"posted": "true"}).json()["items"]] == ["张卫东"]
    assert [c["name"] for c in zzb.get("/api/v1/cadres", params={"role": "1"}).json()["items"]] == ["张卫东"]
    assert sorted(c["name"] for c in zzb.get("/api/v1/cadres", params={"posted": "false"}).json()["items"]) == [
        "李明",
        "王晓燕",
    ]
    assert [c["name"] for c in township.get("/api/v1/cadres").json()["items"]] == ["张卫东"]
    in_village = zzb.get("/api/v1/cadres", params={"area": world.a.village}).json()["items"]
    assert [c["name"] for c in in_village] == ["张卫东"]
    pages = zzb.get("/api/v1/cadres", params={"limit": 2}).json()
    rest = zzb.get("/api/v1/cadres", params={"limit": 2, "cursor": pages["next_cursor"]}).json()
    assert len(pages["items"]) == 2 and len(rest["items"]) == 1 and rest["next_cursor"] is None


def test_export_is_masked_unless_revealed_with_a_reason(api, world, session):
    api("zzb").post("/api/v1/cadres", json=_cadre(world))
    response = api("zzb").get("/api/v1/cadres/export.csv", params={"q": CADRE_ID})
    assert response.status_code == 200 and CADRE_ID not in response.text
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["姓名", "证件号码"] and rows[1][0] == "王晓燕"
    assert rows[1][1] == CADRE_ID[:6] + "********" + CADRE_ID[-4:] and "贵州省交通运输厅" in rows[1]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "cadres")).one()
    assert CADRE_ID not in str(entry.after)
    assert api("zzb").get("/api/v1/cadres/export.csv", params={"unmask": "true", "reason": "报送"}).status_code == 403
    assert api("jiwei").get("/api/v1/cadres/export.csv", params={"unmask": "true"}).status_code == 422
    revealed = api("jiwei").get("/api/v1/cadres/export.csv", params={"unmask": "true", "reason": "专项审计"})
    assert revealed.status_code == 200 and CADRE_ID in revealed.content.decode("utf-8-sig")
    xlsx = api("jiwei").get("/api/v1/cadres/export.xlsx", params={"unmask": "true", "reason": "专项审计"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_database_holds_no_cadre_id_number_in_clear(api, world, session):
    api("zzb").post("/api/v1/cadres", json=_cadre(world))
    rows = session.execute(text("SELECT * FROM cadres")).all()
    assert CADRE_ID not in repr(rows) and "13698765432" not in repr(rows)
    changes = session.execute(text("SELECT before, after FROM registry_changes WHERE entity = 'cadre'")).all()
    assert CADRE_ID not in repr(changes)
