"""The terms pages in Chinese and English: terms ending with names (never codes), the home
items of the organisation department and of the dispatching unit, the handover checklist
refused with the missing item named, recalls from the page, and the lists' .xlsx export."""

from __future__ import annotations

import html
import io
import re
from datetime import date, timedelta

from openpyxl import load_workbook

from zhucun.core.permissions import Role
from zhucun.selection.cadres.models import CadrePosting
from zhucun.selection.terms.rules import add_years


def _ending_in(session, world, days: int) -> date:
    """Move the first secretary's start so that the term ends ``days`` from today."""
    end = date.today() + timedelta(days=days)
    start = add_years(end + timedelta(days=1), -2)
    session.get(CadrePosting, (world.a.county[:6], world.a.posting_id)).start_date = start
    session.flush()
    return end


def test_terms_ending_page_and_home_items(client, web, world, session):
    end = _ending_in(session, world, 30)
    web(world.username(Role.ORG_DEPT))
    page = client.get("/selection/terms")
    assert page.status_code == 200
    body = page.text.split("<tbody>", 1)[1]
    assert "张卫东" in body and "第一书记" in body and str(end) in body and world.a.village not in body
    assert "/selection/terms/handovers/" in body
    english = client.get("/selection/terms?lang=en")
    assert "Terms ending" in english.text and "first secretary" in english.text
    narrow = client.get("/selection/terms?days=10")
    assert "张卫东" not in narrow.text.split("<tbody>", 1)[1]
    home = client.get("/?lang=zh_CN")
    assert "任期将在90天内届满" in home.text
    assert f"/selection/terms?county={world.a.county}&amp;days=90" in home.text
    web(world.username(Role.UNIT))
    assert "本单位干部任期将在90天内届满" in client.get("/").text


def test_handover_page_refuses_to_close_with_the_missing_item_named(client, web, world, session):
    session.get(CadrePosting, (world.a.county[:6], world.a.posting_id)).end_date = date.today()
    session.flush()
    csrf = web(world.username(Role.UNIT))
    base = f"/selection/terms/handovers/{world.a.county[:6]}/{world.a.posting_id}"
    ticked = client.post(f"{base}/items/seal", data={"csrf_token": csrf}, follow_redirects=False)
    assert ticked.status_code == 303
    refused = client.post(f"{base}/close", data={"csrf_token": csrf})
    assert refused.status_code == 422 and "尚未交接：工作档案资料" in refused.text
    page = client.get(base)
    assert world.username(Role.UNIT) in page.text.split('data-item="seal"', 1)[1].split("</tr>", 1)[0]


def test_a_recall_is_proposed_from_the_page(client, web, world):
    csrf = web(world.username(Role.ORG_DEPT))
    empty = client.post("/selection/recalls", data={"csrf_token": csrf, "posting": "", "reasons": "x"})
    assert empty.status_code == 422
    posting = f"{world.a.county[:6]}/{world.a.posting_id}"
    short = client.post("/selection/recalls", data={"csrf_token": csrf, "posting": posting, "reasons": ""})
    assert short.status_code == 422 and 'data-field="reasons"' in short.text
    made = client.post(
        "/selection/recalls",
        data={"csrf_token": csrf, "posting": posting, "reasons": "长期不在岗"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    detail = client.get(made.headers["location"])
    assert "长期不在岗" in detail.text and "派出单位办理中" in detail.text
    assert "张卫东" in client.get("/selection/recalls").text
    # The recall is part of the cadre's history, with its reasons.
    cadre = client.get(f"/registry/cadres/{world.a.posted_cadre_id}").text
    assert "提出召回张卫东" in cadre and "长期不在岗" in cadre


def test_the_lists_page_adds_a_cadre_and_exports_what_it_shows(client, web, world):
    csrf = web(world.username(Role.ORG_DEPT))
    form = {"csrf_token": csrf, "term": "2024", "kind": "promotion", "cadre_id": str(world.a.cadre_id)}
    missing = client.post(f"/selection/terms/lists/{world.a.county[:6]}", data={**form, "reason": ""})
    assert missing.status_code == 422 and 'data-field="reason"' in missing.text
    added = client.post(
        f"/selection/terms/lists/{world.a.county[:6]}", data={**form, "reason": "表现优秀"}, follow_redirects=False
    )
    assert added.status_code == 303
    page = client.get("/selection/terms/lists?term=2024&kind=promotion")
    assert "李明" in page.text and "优先提拔" in page.text and "人工录入" in page.text
    link = html.unescape(re.search(r'href="(/selection/terms/lists/export\.xlsx\?[^"]*)"', page.text).group(1))
    assert link == "/selection/terms/lists/export.xlsx?term=2024&kind=promotion"
    export = client.get(link)
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][1:4] == ("优先提拔", "李明", "表现优秀") and len(rows) == 2


def test_ended_terms_are_listed_counted_at_home_exported_and_offered_for_rotation(client, web, world, session):
    _ending_in(session, world, -40)
    csrf = web(world.username(Role.ORG_DEPT))
    page = client.get("/selection/terms")
    ended = page.text.split('id="ended"', 1)[1].split("</table>", 1)[0]
    assert "张卫东" in ended and ">40<" in ended and world.a.village not in ended
    assert "张卫东" not in page.text.split('id="ending"', 1)[1].split("</table>", 1)[0]
    only_ending = client.get("/selection/terms?show=ending")
    assert 'id="ended"' not in only_ending.text and 'id="ending"' in only_ending.text
    home = client.get("/?lang=zh_CN").text
    item = home.split(f'href="/selection/terms?county={world.a.county}&amp;show=ended"', 1)[1].split("</a>", 1)[0]
    assert re.search(r'data-testid="work-count">1<', item) and "任期已届满尚未轮换" in item
    # The rotation offers the term that has ended: the year the posting started, never typed.
    start = session.get(CadrePosting, (world.a.county[:6], world.a.posting_id)).start_date
    form = page.text.split('name="term"', 1)[1].split("</select>", 1)[0]
    assert f'<option value="{start.year}">' in form and "已届满1人" in form
    export = client.get(f"/selection/terms/export.xlsx?county={world.a.county}&show=ended")
    assert export.status_code == 200
    rows = load_workbook(io.BytesIO(export.content)).active.values
    header, *body = list(rows)
    assert header[:3] == ("干部", "村", "职务") and [r[0] for r in body] == ["张卫东"]
    assert body[0][5] == "已届满未轮换" and body[0][6] == 40
    rotated = client.post(
        f"/selection/terms/counties/{world.a.county}/rotate",
        data={"csrf_token": csrf, "term": str(start.year)},
        follow_redirects=False,
    )
    assert rotated.status_code == 303
    after = client.get("/selection/terms")
    assert "张卫东" not in after.text.split('id="ended"', 1)[1].split("</table>", 1)[0]
    assert 'name="term"' in after.text and "disabled" in after.text.split('name="term"', 1)[1].split("</form>", 1)[0]
    web(world.username(Role.UNIT))
    assert "本单位干部任期已届满尚未轮换" in client.get("/").text
