"""Terms through the API: the terms ending within a window, rotation of a county's ended
terms in one audited action, the handover checklist (refused with the missing item named)
and the lists."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from zhucun.core.audit import AuditEntry
from zhucun.core.permissions import Role
from zhucun.selection.cadres.models import Cadre, CadrePosting
from zhucun.selection.matching.models import MarkedVillage
from zhucun.selection.terms.models import Handover
from zhucun.selection.terms.rules import add_years


def _org(api, world, area="a"):
    return api(world.username(Role.ORG_DEPT, area))


def test_terms_ending_lists_the_posted_cadre_whose_term_is_near(api, world):
    # 张卫东 was posted on 2024-03-01: a two-year term ends on 2026-02-28.
    today = date.today()
    days = (date(2026, 2, 28) - today).days
    wide = _org(api, world).get(f"/api/v1/terms/ending?county={world.a.county}&days=3650")
    assert wide.status_code == 200, wide.text
    found = {r["posting_id"]: r for r in wide.json()["items"]}
    if days >= 0:
        assert found[world.a.posting_id]["term_end"] == "2026-02-28"
        assert found[world.a.posting_id]["days_left"] == days
    else:
        # Already ended: due for rotation, no longer a warning.
        assert world.a.posting_id not in found


def test_rotation_ends_the_term_releases_the_cadre_and_marks_the_village(api, world, session):
    response = _org(api, world).post(f"/api/v1/terms/counties/{world.a.county}/rotate", json={"term": 2024})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["next_term"] == 2026 and body["ended"] >= 1
    posting = session.scalars(
        select(CadrePosting).where(
            CadrePosting.county_code == world.a.county[:6], CadrePosting.id == world.a.posting_id
        )
    ).one()
    assert posting.end_date == date(2026, 2, 28) and posting.end_reason == "任期届满"
    cadre = session.scalars(
        select(Cadre).where(Cadre.county_code == world.a.county[:6], Cadre.id == world.a.posted_cadre_id)
    ).one()
    assert cadre.division_code == world.a.county
    assert session.get(MarkedVillage, (world.a.county[:6], 2026, world.a.village)) is not None
    handover = session.get(Handover, (world.a.county[:6], world.a.posting_id))
    assert handover.status == "open" and "seal" in handover.items
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "selection:term:rotated", AuditEntry.entity_id == world.a.county)
    ).all()
    assert len(entries) == 1 and entries[0].after["ended"] == body["ended"]
    # Nothing is due twice: a second rotation ends nothing.
    again = _org(api, world).post(f"/api/v1/terms/counties/{world.a.county}/rotate", json={"term": 2024})
    assert again.json()["ended"] == 0


def test_handover_is_closed_only_when_every_item_is_ticked(api, world):
    org = _org(api, world)
    base = f"/api/v1/terms/handovers/{world.a.county[:6]}/{world.a.posting_id}"
    assert org.post(f"/api/v1/terms/counties/{world.a.county}/rotate", json={"term": 2024}).status_code == 200
    first = org.post(f"{base}/items/documents", json={"note": "档案3盒"})
    assert first.status_code == 200, first.text
    ticked = {i["item"]: i for i in first.json()["items"]}
    assert ticked["documents"]["ticked_by"] == world.username(Role.ORG_DEPT) and ticked["diaries"]["ticked_by"] is None
    refused = org.post(f"{base}/close", headers={"Accept-Language": "zh-CN"})
    assert refused.status_code == 422 and refused.json()["field"] == "items"
    assert "驻村工作日志" in refused.json()["message"]
    again = org.post(f"{base}/items/documents", json={})
    assert again.status_code == 409
    unknown = org.post(f"{base}/items/nothing", json={})
    assert unknown.status_code == 422 and unknown.json()["field"] == "item"
    for item in [i["item"] for i in first.json()["items"] if i["item"] != "documents"]:
        assert org.post(f"{base}/items/{item}", json={}).status_code == 200
    closed = org.post(f"{base}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "handed_over"


def test_lists_take_a_cadre_once_per_term_and_kind(api, world):
    org = _org(api, world)
    url = f"/api/v1/terms/lists/{world.a.county[:6]}"
    body = {"term": 2024, "kind": "commendation", "cadre_id": world.a.cadre_id, "reason": "驻村工作成效突出"}
    created = org.post(url, json=body)
    assert created.status_code == 201, created.text
    assert created.json()["source"] == "manual" and created.json()["name"] == "李明"
    assert org.post(url, json=body).status_code == 409
    shown = org.get("/api/v1/terms/lists?term=2024&kind=commendation").json()
    assert [r["cadre_id"] for r in shown] == [world.a.cadre_id]
    assert org.post(url, json={**body, "kind": "bogus"}).status_code == 422


def test_a_province_sets_its_own_term_length_window_and_checklist(api, world, session):
    from zhucun.selection.matching.models import SelectionRuleSet

    province, this_year = world.a.county[:2], date.today().year
    session.add(SelectionRuleSet(province=province, year=2024, values={"term_years": 3}))
    session.add(
        SelectionRuleSet(
            province=province,
            year=this_year,
            values={"term_warning_days": 500, "handover_items": ["seal", "funds", "unknown"]},
        )
    )
    session.flush()
    org = _org(api, world)
    shown = org.get(f"/api/v1/terms/ending?county={world.a.county}").json()
    assert shown["days"] == 500
    mine = [r for r in shown["items"] if r["posting_id"] == world.a.posting_id]
    assert [r["term_end"] for r in mine] == ["2027-02-28"]
    # A three-year term of 2024 has not ended: rotation leaves it.
    assert org.post(f"/api/v1/terms/counties/{world.a.county}/rotate", json={"term": 2024}).json()["ended"] == 0
    checklist = org.get(f"/api/v1/terms/handovers/{world.a.county[:6]}/{world.a.posting_id}").json()
    assert [i["item"] for i in checklist["items"]] == ["seal", "funds"] and checklist["status"] == "not_opened"


def test_rotation_is_refused_for_a_township_and_a_future_day(api, world):
    org = _org(api, world)
    township = org.post(f"/api/v1/terms/counties/{world.a.township}/rotate", json={"term": 2024})
    assert township.status_code == 422 and township.json()["field"] == "county"
    future = org.post(f"/api/v1/terms/counties/{world.a.county}/rotate", json={"term": 2024, "on": "2030-01-01"})
    assert future.status_code == 422
    other = org.post(f"/api/v1/terms/counties/{world.b.county}/rotate", json={"term": 2024})
    assert other.status_code == 404


def test_terms_ended_and_not_rotated_with_their_days_over(api, world, session):
    posting = session.get(CadrePosting, (world.a.county[:6], world.a.posting_id))
    # A two-year term ends the day before the anniversary: started so, it ended 40 days ago.
    end = date.today() - timedelta(days=40)
    posting.start_date = add_years(end + timedelta(days=1), -2)
    session.flush()
    ended = _org(api, world).get(f"/api/v1/terms/ended?county={world.a.county}")
    assert ended.status_code == 200, ended.text
    found = {r["posting_id"]: r for r in ended.json()["items"]}
    assert found[world.a.posting_id]["days_over"] == 40 and found[world.a.posting_id]["term_end"] == str(end)
    assert ended.json()["total"] == len(found)
    ending = _org(api, world).get(f"/api/v1/terms/ending?county={world.a.county}&days=3650").json()
    assert world.a.posting_id not in {r["posting_id"] for r in ending["items"]}
    other = api(world.username(Role.ORG_DEPT, "b"))
    assert other.get(f"/api/v1/terms/ended?county={world.a.county}").status_code == 404
