"""Dispatching units through the API: registration with pairings, unique names, counties
only, changes and pairings audited, scope, keyset pages, exports."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from zhucun.core.audit import AuditEntry


def _unit(world, **extra):
    return {
        "name": "青岚县人民医院",
        "level": "县级单位",
        "kind": "public_institution",
        "division_code": world.a.county,
        "paired_counties": [world.a.county[:6]],
        **extra,
    }


def test_the_organisation_department_registers_a_unit_with_its_pairing(api, world, session):
    response = api("zzb").post("/api/v1/units", json=_unit(world, reason="新增派出单位"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["level"] == "county" and body["kind"] == "public_institution"
    assert body["pairings"] == [{"division_code": world.a.county, "name": "青岚县"}]
    assert body["cadres"] == {"total": 0, "posted": 0, "by_role": {}}
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "accounts:unit:created")).one()
    assert entry.entity_id == str(body["id"]) and entry.after["paired_counties"] == [world.a.county]
    assert entry.reason == "新增派出单位" and entry.actor_name == "zzb"


def test_names_are_unique_and_levels_known(api, world):
    zzb = api("zzb")
    assert zzb.post("/api/v1/units", json=_unit(world)).status_code == 201
    again = zzb.post("/api/v1/units", json=_unit(world, name=" 青岚县人民医院 "), headers={"Accept-Language": "en"})
    assert again.status_code == 409 and again.json()["field"] == "name"
    assert "already registered" in again.json()["message"]
    wrong = zzb.post("/api/v1/units", json=_unit(world, name="某单位", level="乡级"))
    assert wrong.status_code == 422 and wrong.json()["field"] == "level"
    assert "乡级" in wrong.json()["errors"][0]["message"]


def test_a_paired_code_must_be_a_county(api, world):
    response = api("zzb").post(
        "/api/v1/units", json=_unit(world, paired_counties=[world.a.township]), headers={"Accept-Language": "en"}
    )
    assert response.status_code == 422, response.text
    assert response.json() | {"message": ""} == {"code": "not_a_county", "field": "paired_counties.0", "message": ""}
    assert "is not a county" in response.json()["message"]
    unknown = api("zzb").post("/api/v1/units", json=_unit(world, paired_counties=["469099"]))
    assert unknown.json()["code"] == "unknown_division"


def test_pairing_and_unpairing_are_audited(api, world, session):
    zzb = api("zzb")
    url = f"/api/v1/units/{world.a.unit_id}/pairings"
    added = zzb.post(url, json={"division_code": world.b.county[:6], "reason": "东西部协作"})
    assert added.status_code == 201
    assert world.b.county in [p["division_code"] for p in added.json()]
    assert zzb.post(url, json={"division_code": world.b.county}).json()["code"] == "already_paired"
    assert zzb.delete(f"{url}/{world.b.county}").status_code == 204
    assert zzb.delete(f"{url}/{world.b.county}").status_code == 404
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.entity == "unit", AuditEntry.entity_id == str(world.a.unit_id))
    ).all()
    assert {"accounts:unit:paired", "accounts:unit:unpaired"} <= set(actions)


def test_changes_keep_before_and_after(api, world, session):
    response = api("zzb").patch(f"/api/v1/units/{world.a.unit_id}", json={"kind": "国有企业", "reason": "转制"})
    assert response.status_code == 200 and response.json()["kind"] == "state_firm"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "accounts:unit:updated")).one()
    assert entry.before == {"kind": "government"} and entry.after == {"kind": "state_firm"}
    taken = api("zzb").patch(f"/api/v1/units/{world.a.unit_id}", json={"name": "黔南州人民医院"})
    assert taken.status_code == 409


def test_detail_counts_the_units_cadres(api, world):
    body = api("zzb").get(f"/api/v1/units/{world.a.unit_id}").json()
    assert body["cadres"] == {"total": 2, "posted": 1, "by_role": {"1": 1}}
    assert body["pairings"][0]["division_code"] == world.a.county


def test_scope_other_county_and_writers(api, world):
    assert api("zzb").get(f"/api/v1/units/{world.b.unit_id}").status_code == 404
    assert api("zzb").patch(f"/api/v1/units/{world.b.unit_id}", json={"kind": "university"}).status_code == 404
    names = [u["name"] for u in api("zzb").get("/api/v1/units").json()["items"]]
    assert "白岩县财政局" not in names and "贵州大学" in names
    assert api("danwei").post("/api/v1/units", json=_unit(world)).status_code == 403
    outside = api("zzb").post("/api/v1/units", json=_unit(world, division_code=world.b.county))
    assert outside.status_code == 404


def test_filters_and_keyset_pages(api, world):
    zzb = api("zzb")
    universities = zzb.get("/api/v1/units", params={"kind": "university"}).json()["items"]
    assert [u["name"] for u in universities] == ["贵州大学"]
    assert [u["name"] for u in zzb.get("/api/v1/units", params={"q": "交通"}).json()["items"]] == ["贵州省交通运输厅"]
    first = zzb.get("/api/v1/units", params={"limit": 2}).json()
    second = zzb.get("/api/v1/units", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    names = [u["name"] for u in first["items"] + second["items"]]
    assert len(names) == 4 and len(set(names)) == 4 and names == sorted(names)
    assert zzb.get("/api/v1/units", params={"cursor": "garbage"}).status_code == 422


def test_export_lists_units_with_their_pairings(api, world, session):
    response = api("zzb").get("/api/v1/units/export.csv", params={"level": "provincial"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["单位", "级别", "类型"]
    assert {r[0] for r in rows[1:]} == {"贵州省交通运输厅", "贵州大学"}
    assert all(r[1] == "省级单位" and r[4] == "青岚县" for r in rows[1:])
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "core:list:exported")).one()
    assert entry.entity == "units" and entry.after["filters"] == {"level": "provincial"}
    xlsx = api("zzb").get("/api/v1/units/export.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_the_routes_are_in_the_openapi_description(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/units",
        "/api/v1/units/{unit_id}/pairings/{county}",
        "/api/v1/cadres/{county_code}/{cadre_id}",
        "/api/v1/postings/{county_code}/{posting_id}/end",
        "/api/v1/villages/{code}/officials",
        "/api/v1/officials/{county_code}/{official_id}/end",
    ):
        assert path in paths, path
