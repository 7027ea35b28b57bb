"""Postings through the API: posting a cadre moves them to the village, a cadre has at
most one open posting, ending one records its reason and returns them to the county."""

from __future__ import annotations

from sqlalchemy import select

from zhucun.core.audit import AuditEntry


def _post(api, world, cadre_id, **extra):
    body = {"village_code": world.a.village, "role": "工作队员", "start_date": "2025-03-01", **extra}
    return api("zzb").post(f"/api/v1/cadres/{cadre_id}/postings", json=body)


def test_posting_a_cadre_sets_where_they_serve(api, world, session):
    response = _post(api, world, world.a.cadre_id, reason="选派驻村")
    assert response.status_code == 201, response.text
    assert response.json()["role"] == "3" and response.json()["end_date"] is None
    cadre = api("zzb").get(f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}").json()
    assert cadre["division_code"] == world.a.village
    assert cadre["current_posting"]["id"] == response.json()["id"] and len(cadre["postings"]) == 2
    entry = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == "selection:cadre:posted", AuditEntry.entity_id == str(world.a.cadre_id))
        .order_by(AuditEntry.seq.desc())
    ).first()
    assert entry.after["division_code"] == world.a.village and entry.reason == "选派驻村"
    # The township now sees the cadre, who serves in one of its villages.
    assert api("zhen").get(f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}").status_code == 200


def test_a_cadre_has_at_most_one_open_posting(api, world):
    response = _post(api, world, world.a.posted_cadre_id)
    assert response.status_code == 409 and response.json()["code"] == "already_posted"


def test_a_posting_does_not_overlap_the_previous_one(api, world):
    response = _post(api, world, world.a.cadre_id, start_date="2024-01-01")
    assert response.status_code == 422 and response.json()["field"] == "start_date"


def test_a_posting_is_to_a_village_of_the_county(api, world):
    township = _post(api, world, world.a.cadre_id, village_code=world.a.township)
    assert township.status_code == 422 and township.json()["code"] == "not_a_village"
    other = api("admin").post(
        f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}/postings",
        json={"village_code": world.b.village, "role": "3", "start_date": "2025-03-01"},
    )
    assert other.status_code == 422 and other.json()["code"] == "other_county"
    assert (
        api("zzb")
        .post(
            f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}/postings",
            json={"village_code": world.a.village, "start_date": "2025-03-01"},
        )
        .status_code
        == 422
    )


def test_ending_a_posting_records_the_reason_and_returns_the_cadre_to_the_county(api, world, session):
    url = f"/api/v1/postings/{world.a.county_code}/{world.a.posting_id}/end"
    zzb = api("zzb")
    assert zzb.post(url, json={"end_date": "2025-12-31"}).status_code == 422
    early = zzb.post(url, json={"end_date": "2023-01-01", "end_reason": "召回"}, headers={"Accept-Language": "en"})
    assert early.status_code == 422 and early.json()["field"] == "end_date"
    assert "before it started" in early.json()["message"]
    assert zzb.post(url, json={"end_date": "2099-01-01", "end_reason": "召回"}).json()["code"] == "future_date"
    ended = zzb.post(url, json={"end_date": "2025-12-31", "end_reason": "考核不称职，召回"})
    assert ended.status_code == 200 and ended.json()["end_reason"] == "考核不称职，召回"
    cadre = zzb.get(f"/api/v1/cadres/{world.a.county_code}/{world.a.posted_cadre_id}").json()
    assert cadre["division_code"] == world.a.county and cadre["current_posting"] is None
    assert zzb.post(url, json={"end_date": "2025-12-31", "end_reason": "x2"}).json()["code"] == "posting_ended"
    history = zzb.get(f"/api/v1/cadres/{world.a.county_code}/{world.a.posted_cadre_id}/history").json()["items"][0]
    assert history["action"] == "posting_ended" and history["reason"] == "考核不称职，召回"
    again = _post(api, world, world.a.posted_cadre_id, start_date="2026-01-05", role="1")
    assert again.status_code == 201


def test_postings_are_listed_latest_first_and_scoped(api, world):
    items = api("zzb").get(f"/api/v1/cadres/{world.a.county_code}/{world.a.cadre_id}/postings").json()
    assert [(p["role"], p["end_reason"]) for p in items] == [("3", "任期届满")]
    assert api("zzb").get(f"/api/v1/cadres/{world.b.county_code}/{world.b.cadre_id}/postings").status_code == 404
    assert (
        api("zzb")
        .post(
            f"/api/v1/postings/{world.b.county_code}/{world.b.posting_id}/end",
            json={"end_date": "2025-12-31", "end_reason": "召回"},
        )
        .status_code
        == 404
    )
    assert (
        api("shuji")
        .post(
            f"/api/v1/postings/{world.a.county_code}/{world.a.posting_id}/end",
            json={"end_date": "2025-12-31", "end_reason": "召回"},
        )
        .status_code
        == 403
    )
