"""Nominating from the pages: a unit's clerk sees its own cadres with the rules each fails,
nominates the ticked ones (those already nominated skipped and counted) and withdraws one,
each action audited per cadre; a withdrawal is refused, naming the cadre, once it is in the
county's proposal or the matching is approved. The same through the API."""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select

from zhucun.accounts.units.models import Unit
from zhucun.core.audit import AuditEntry
from zhucun.core.permissions import Role
from zhucun.divisions.models import Division
from zhucun.selection.matching.models import Assignment, MarkedVillage, MatchRun, Nomination

TERM = 2026


def _rows(text: str) -> dict[str, str]:
    """Each listed cadre's row, by its ``county/id`` key."""
    return dict(re.findall(r'<li class="list-group-item" data-cadre="([^"]+)">(.*?)</li>', text, re.S))


def _key(world, cadre_id: int) -> str:
    return f"{world.a.county[:6]}/{cadre_id}"


def _nominations(session, world) -> dict[int, str | None]:
    rows = session.execute(
        select(Nomination.cadre_id, Nomination.note).where(
            Nomination.county_code == world.a.county[:6], Nomination.term == TERM
        )
    )
    return dict(rows.all())


def _post(client, csrf, action, keys, **extra):
    data = {"csrf_token": csrf, "action": action, "cadre": keys, **extra}
    return client.post(f"/selection/{TERM}/nominations", data=data, follow_redirects=False)


def _done(response) -> dict[str, str]:
    assert response.status_code == 303, response.text
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def test_a_unit_nominates_its_cadres_and_withdraws_one(client, web, world, session):
    csrf = web(world.username(Role.UNIT))
    page = client.get("/selection/nominations", params={"year": TERM})
    assert page.status_code == 200
    rows = _rows(page.text)
    li, posted = rows[_key(world, world.a.cadre_id)], rows[_key(world, world.a.posted_cadre_id)]
    assert not any(key.startswith(world.b.county[:6]) for key in rows) and "白岩" not in page.text
    assert "李明" in li and "data-rule" not in li and "第一书记 ✓" in li and "工作队员 ✓" in li
    village = session.get(Division, world.a.village).name
    assert 'data-rule="already_posted"' in posted and "已在派驻中" in posted and village in posted
    assert world.a.village not in page.text

    both = [_key(world, world.a.cadre_id), _key(world, world.a.posted_cadre_id)]
    done = _done(_post(client, csrf, "nominate", both, note="单位党委推荐"))
    assert done == {"year": str(TERM), "done": "nominate", "n": "2", "skipped": "0"}
    assert _nominations(session, world) == {world.a.cadre_id: "单位党委推荐", world.a.posted_cadre_id: "单位党委推荐"}
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:nomination:created")).all()
    assert sorted(e.entity_id for e in entries) == sorted(str(i) for i in (world.a.cadre_id, world.a.posted_cadre_id))
    again = _post(client, csrf, "nominate", both[:1])
    shown = client.get(again.headers["location"])
    assert "已推荐 0 名干部；1 名此前已推荐，已跳过。" in shown.text

    done = _done(_post(client, csrf, "withdraw", both[:1]))
    assert (done["n"], done["skipped"]) == ("1", "0")
    assert set(_nominations(session, world)) == {world.a.posted_cadre_id}
    withdrawn = session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:nomination:withdrawn")).one()
    assert withdrawn.entity_id == str(world.a.cadre_id) and withdrawn.before == {"term": TERM}
    web("jiwei")  # the audit trail reads the withdrawal as a sentence with the cadre's name
    trail = client.get("/audit?action=selection:nomination:withdrawn").text
    assert "撤回了李明的选派推荐" in trail
    web(world.username(Role.UNIT))
    listed = _rows(client.get("/selection/nominations", params={"year": TERM, "nominated": "1"}).text)
    assert list(listed) == [_key(world, world.a.posted_cadre_id)]
    assert 'data-testid="nominated"' in listed[_key(world, world.a.posted_cadre_id)]


def _proposed(session, world, status: str = "proposed") -> None:
    """The village marked, 李明 nominated and proposed as its member, the run ``status``."""
    county = world.a.county[:6]
    session.add(MarkedVillage(county_code=county, term=TERM, village_code=world.a.village, needs=[], team_size=3))
    for cadre_id in (world.a.cadre_id, world.a.posted_cadre_id):
        session.add(Nomination(county_code=county, term=TERM, cadre_id=cadre_id, division_code=world.a.county))
    session.add(
        MatchRun(
            county_code=county,
            term=TERM,
            division_code=world.a.county,
            objective=100,
            bound=100,
            gap=0,
            greedy_objective=100,
            greedy_unfilled=0,
            method="flow",
            status=status,
        )
    )
    session.flush()
    session.add(
        Assignment(
            county_code=county,
            term=TERM,
            cadre_id=world.a.cadre_id,
            village_code=world.a.village,
            role="member",
            value=100,
            reasons={},
            edited=False,
        )
    )
    session.flush()


def test_withdrawal_is_refused_for_a_proposed_cadre_and_after_approval(client, web, world, session):
    _proposed(session, world)
    csrf = web(world.username(Role.UNIT))
    both = [_key(world, world.a.posted_cadre_id), _key(world, world.a.cadre_id)]
    refused = _post(client, csrf, "withdraw", both)
    assert refused.status_code == 409
    assert "李明已列入本县选派方案，请先调整方案。" in refused.text
    assert set(_nominations(session, world)) == {world.a.cadre_id, world.a.posted_cadre_id}
    session.get(MatchRun, (world.a.county[:6], TERM)).status = "approved"
    session.flush()
    late = _post(client, csrf, "withdraw", both[:1])
    assert late.status_code == 409 and "本届人岗匹配已审定，不能再撤回推荐。" in late.text
    assert set(_nominations(session, world)) == {world.a.cadre_id, world.a.posted_cadre_id}
    assert not session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:nomination:withdrawn")).all()


def test_the_county_filters_by_unit_and_name_and_bad_choices_are_refused(client, web, world, session):
    csrf = web(world.username(Role.ORG_DEPT))
    page = client.get("/selection/nominations", params={"year": TERM, "unit_id": world.a.unit_id})
    assert page.status_code == 200 and 'name="unit_id"' in page.text
    assert {_key(world, world.a.cadre_id), _key(world, world.a.posted_cadre_id)} <= set(_rows(page.text))
    found = _rows(client.get("/selection/nominations", params={"year": TERM, "q": "卫东"}).text)
    assert list(found) == [_key(world, world.a.posted_cadre_id)]
    none = client.get("/selection/nominations", params={"year": TERM, "nominated": "1"})
    assert _rows(none.text) == {} and 'data-testid="total">共 0 条' in none.text
    bad = _post(client, csrf, "nominate", ["x/1"])
    assert bad.status_code == 422 and "请从列表中勾选干部。" in bad.text
    empty = _post(client, csrf, "nominate", [])
    assert empty.status_code == 422 and "请至少勾选一名干部。" in empty.text
    assert _nominations(session, world) == {}
    web(world.username(Role.UNIT))
    assert 'name="unit_id"' not in client.get("/selection/nominations").text


def test_nominations_through_the_api(api, world, session):
    keys = [{"county_code": world.a.county[:6], "cadre_id": c} for c in (world.a.cadre_id, world.a.posted_cadre_id)]
    base = f"/api/v1/selection/{TERM}"
    first = api("zzb").post(f"{base}/nominations", json={"cadres": keys, "note": "推荐"})
    assert first.status_code == 200 and first.json() == {"nominated": 2, "skipped": 0}
    again = api("zzb").post(f"{base}/nominations", json={"cadres": keys[:1]})
    assert again.json() == {"nominated": 0, "skipped": 1}
    path = f"{base}/cadres/{world.a.county[:6]}/{world.a.cadre_id}/nomination"
    assert api("zzb").delete(path).status_code == 204
    gone = api("zzb").delete(path)
    assert gone.status_code == 404 and gone.json()["field"] == "cadre_id"
    assert set(_nominations(session, world)) == {world.a.posted_cadre_id}
    other = [{"county_code": world.b.county[:6], "cadre_id": world.b.cadre_id}]
    assert api("zzb").post(f"{base}/nominations", json={"cadres": keys[:1] + other}).status_code == 404
    assert set(_nominations(session, world)) == {world.a.posted_cadre_id}
    assert api("zzb").post(f"{base}/nominations", json={"cadres": []}).status_code == 422


def test_the_unit_home_counts_its_nominated_cadres(client, web, world, session):
    term = date.today().year + 1  # the coming term: the latest with villages marked
    session.add(
        Nomination(
            county_code=world.a.county[:6],
            term=term,
            cadre_id=world.a.cadre_id,
            division_code=world.a.county,
            unit_id=world.a.unit_id,
        )
    )
    session.add(MarkedVillage(county_code=world.a.county[:6], term=term, village_code=world.a.village, team_size=3))
    session.flush()
    web(world.username(Role.UNIT))
    home = client.get("/?lang=zh_CN").text
    item = re.search(
        rf'href="(/selection/nominations\?year={term}&amp;nominated=1)" data-testid="work-item">.*?'
        r'data-testid="work-count">(\d+)</div>\s*<div class="small">([^<]+)</div>',
        home,
        re.S,
    )
    assert item and item.group(2) == "1" and item.group(3) == f"本单位{term}年度推荐选派的干部"
    listed = client.get(item.group(1).replace("&amp;", "&"))
    assert list(_rows(listed.text)) == [_key(world, world.a.cadre_id)]


def test_the_export_holds_what_the_list_shows(client, web, world, session):
    csrf = web(world.username(Role.UNIT))
    _post(client, csrf, "nominate", [_key(world, world.a.posted_cadre_id)], note="推荐")
    page = client.get("/selection/nominations", params={"year": TERM, "nominated": "1"})
    assert "/selection/nominations/export.csv?year=2026&amp;nominated=1" in page.text
    csv = client.get("/selection/nominations/export.csv", params={"year": TERM, "nominated": "1"})
    assert csv.status_code == 200
    lines = csv.content.decode("utf-8-sig").splitlines()
    village = session.get(Division, world.a.village).name
    unit = session.get(Unit, world.a.unit_id).name
    assert len(lines) == 2 and lines[1].split(",")[:5] == ["张卫东", unit, "是", "推荐", village]
    assert lines[1].endswith("已在派驻中") and world.a.village not in csv.text
    entry = session.scalars(select(AuditEntry).where(AuditEntry.entity == "nominations")).first()
    assert entry is not None
