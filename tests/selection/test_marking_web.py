"""The term page for the organisation department: one village marked by its name with needs,
team size and note; a marked village edited and unmarked (refused once the proposal is
approved); an empty post filled by hand; the two home items about incomplete teams, each
named for what it counts and opening the list behind its number."""

from __future__ import annotations

import re

from sqlalchemy import select

from zhucun.core.audit import AuditEntry
from zhucun.core.permissions import Role
from zhucun.divisions.models import Division
from zhucun.selection.matching.models import Assignment, MarkedVillage, MatchRun, Nomination

TERM = 2026


def _village_row(text: str, code: str) -> str:
    return text.split(f'data-village="{code}"', 1)[1].split('<li class="list-group-item', 1)[0]


def _run(session, world, status: str = "proposed") -> None:
    session.add(
        MatchRun(
            county_code=world.a.county[:6],
            term=TERM,
            division_code=world.a.county,
            objective=0,
            bound=0,
            gap=0,
            greedy_objective=0,
            greedy_unfilled=3,
            method="flow",
            status=status,
        )
    )
    session.flush()


def test_the_county_marks_one_village_edits_it_and_unmarks_it(client, web, world, session):
    csrf = web(world.username(Role.ORG_DEPT))
    name = session.get(Division, world.a.village).name
    url = f"/selection/{TERM}/counties/{world.a.county}/villages"
    form = {"csrf_token": csrf, "village_code__q": name, "needs": ["industry", "education"], "note": "产业薄弱"}
    small = client.post(url, data={**form, "team_size": "1"})
    assert small.status_code == 422 and "工作队至少 3 人。" in small.text
    assert session.get(MarkedVillage, (world.a.county[:6], TERM, world.a.village)) is None
    elsewhere = client.post(url, data={**form, "village_code": world.b.village, "team_size": "3"})
    assert elsewhere.status_code == 422 and "请选择本县的村。" in elsewhere.text
    marked = client.post(url, data={**form, "team_size": "4"}, follow_redirects=False)
    assert marked.status_code == 303, marked.text
    mark = session.get(MarkedVillage, (world.a.county[:6], TERM, world.a.village))
    assert (mark.needs, mark.team_size, mark.note) == (["industry", "education"], 4, "产业薄弱")

    page = client.get(f"/selection?year={TERM}&county={world.a.county}")
    row = _village_row(page.text, world.a.village)
    assert name in row and "产业发展" in row and "教育" in row and "拟派 0 / 4" in row and "产业薄弱" in row
    assert f'action="/selection/{TERM}/villages/{world.a.village}/unmark"' in row
    assert 'href="/selection/nominations?year=2026"' in page.text

    edit = {"csrf_token": csrf, "village_code": world.a.village, "needs": "party", "team_size": "3", "note": ""}
    assert client.post(url, data=edit, follow_redirects=False).status_code == 303
    session.refresh(mark)
    assert (mark.needs, mark.team_size, mark.note) == (["party"], 3, None)

    gone = client.post(f"/selection/{TERM}/villages/{world.a.village}/unmark", data={"csrf_token": csrf})
    assert gone.status_code == 200 and f'data-village="{world.a.village}"' not in gone.text
    assert session.scalars(select(MarkedVillage).where(MarkedVillage.term == TERM)).all() == []
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "selection:village:unmarked")).one()
    assert entry.entity_id == world.a.village and entry.before["needs"] == ["party"]


def test_unmarking_is_refused_once_the_proposal_is_approved(client, web, api, world, session):
    session.add(
        MarkedVillage(county_code=world.a.county[:6], term=TERM, village_code=world.a.village, needs=[], team_size=3)
    )
    _run(session, world, "approved")
    csrf = web(world.username(Role.ORG_DEPT))
    page = client.get(f"/selection?year={TERM}&county={world.a.county}")
    assert "/unmark" not in page.text and 'data-testid="mark-one"' not in page.text
    refused = client.post(f"/selection/{TERM}/villages/{world.a.village}/unmark", data={"csrf_token": csrf})
    assert refused.status_code == 422 and "本届选派方案已审定，不能再取消该村。" in refused.text
    by_api = api("zzb").delete(f"/api/v1/selection/{TERM}/villages/{world.a.village}")
    assert by_api.status_code == 409 and by_api.json()["code"] == "approved"
    assert session.get(MarkedVillage, (world.a.county[:6], TERM, world.a.village)) is not None


def test_unmarking_through_the_api_takes_the_proposed_posts_with_it(api, world, session):
    county = world.a.county[:6]
    session.add(MarkedVillage(county_code=county, term=TERM, village_code=world.a.village, needs=[], team_size=3))
    session.add(Nomination(county_code=county, term=TERM, cadre_id=world.a.cadre_id, division_code=world.a.county))
    _run(session, world)
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
    assert api("zzb").delete(f"/api/v1/selection/{TERM}/villages/{world.a.village}").status_code == 204
    assert session.scalars(select(Assignment).where(Assignment.term == TERM)).all() == []
    assert api("zzb").delete(f"/api/v1/selection/{TERM}/villages/{world.a.village}").status_code == 404


def test_an_empty_post_is_filled_by_hand(client, web, world, session):
    county = world.a.county[:6]
    session.add(MarkedVillage(county_code=county, term=TERM, village_code=world.a.village, needs=[], team_size=3))
    session.add(Nomination(county_code=county, term=TERM, cadre_id=world.a.cadre_id, division_code=world.a.county))
    _run(session, world)
    csrf = web(world.username(Role.ORG_DEPT))
    page = client.get(f"/selection?year={TERM}&county={world.a.county}")
    form = _village_row(page.text, world.a.village).split('data-testid="fill-post"', 1)[1].split("</form>", 1)[0]
    assert 'name="role" value="first_secretary"' in form and "李明" in form and 'name="replaces"' not in form
    filled = client.post(
        f"/selection/{TERM}/villages/{world.a.village}/assignments",
        data={"csrf_token": csrf, "role": "first_secretary", "cadre_id": str(world.a.cadre_id)},
        follow_redirects=False,
    )
    assert filled.status_code == 303, filled.text
    row = session.get(Assignment, (county, TERM, world.a.cadre_id))
    assert (row.village_code, row.role, row.edited) == (world.a.village, "first_secretary", True)


def _items(text: str) -> dict[str, tuple[int, str]]:
    found = re.findall(
        r'href="([^"]+)" data-testid="work-item">.*?data-testid="work-count">([\d,]+)</div>\s*'
        r'<div class="small">([^<]+)</div>',
        text,
        re.S,
    )
    return {label: (int(n.replace(",", "")), url.replace("&amp;", "&")) for url, n, label in found}


def test_the_two_incomplete_team_counts_say_what_they_count_and_open_their_lists(client, web, world, session):
    county = world.a.county[:6]
    villages = session.scalars(
        select(Division.code).where(Division.parent_code == world.a.township, Division.level == "village").limit(2)
    ).all()
    for code in villages:
        session.add(MarkedVillage(county_code=county, term=TERM, village_code=code, needs=[], team_size=3))
    session.flush()
    web(world.username(Role.ORG_DEPT))
    items = _items(client.get("/?lang=zh_CN").text)
    key_count, key_url = items["在岗工作队不齐的重点村"]
    term_count, term_url = items[f"{TERM}年度选派村中尚未配齐工作队的"]
    assert "工作队不齐的村" not in items and "工作队未配齐的选派村" not in items
    assert term_count == len(villages)  # a marked village has at most one of three in post
    teams = client.get(term_url).text.split('id="teams"', 1)[1].split("</table>", 1)[0]
    assert teams.count("<tr>") - 1 == term_count
    listed = client.get(key_url).text
    assert f'data-testid="total">共 {key_count} 条' in listed
