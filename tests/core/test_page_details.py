"""Small things a clerk reads: people by their names (not account names), counts with
thousands separators, a list's total, a title in Chinese punctuation, the way back."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.core.imports.test_web import HTMX, upload
from tests.factories.imports import member_rows
from zhucun.core.models import User
from zhucun.core.naming import number
from zhucun.registry.models import Member


def _display_name(session, username: str) -> str:
    return session.scalar(select(User.display_name).where(User.username == username))


def test_the_number_filter_separates_thousands():
    assert (number(163408), number(50000), number(7), number(None)) == ("163,408", "50,000", "7", "")


def test_the_import_history_names_the_person_and_links_by_the_files_name(client, web, world, session):
    csrf = web("xczx")
    rows = member_rows([world.a.village], 3, seed=71)
    client.post("/imports/members", data={"csrf_token": csrf, "dry_run": "1"}, files=upload(rows), headers=HTMX)
    history = client.get("/imports").text.split('data-testid="import-history"')[1]
    first = history.split("<tbody>")[1].split("</tr>")[0]
    assert _display_name(session, "xczx") in first and ">xczx<" not in first
    assert re.search(r'<a href="/imports/\d+">members\.csv</a>', first), first
    assert not re.search(r">#\d+<", history)


def test_the_upload_page_title_uses_the_chinese_colon(client, web):
    web("xczx")
    page = client.get("/imports/members").text
    assert "<h1>导入：农户及家庭成员</h1>" in page, re.findall(r"<h1>.*?</h1>", page)
    assert "<h1>Import: " in client.get("/imports/members?lang=en").text


def test_the_snapshot_list_names_who_froze_a_year(client, web, world, session):
    csrf = web("xczx")
    done = client.post(
        "/registry/snapshots",
        data={"csrf_token": csrf, "county": world.a.county, "year": "2024"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    table = client.get("/registry/snapshots").text.split('data-testid="snapshots"')[1].split("</table>")[0]
    assert f"· {_display_name(session, 'xczx')}" in table and "· xczx" not in table


def test_the_member_edit_page_leads_back_to_its_household(client, web, world, session):
    web("admin")
    member = session.scalar(select(Member).where(Member.id == world.a.kin_a))
    page = client.get(f"/registry/members/{member.county_code}/{member.id}/edit").text
    back = f'href="/registry/households/{member.county_code}/{member.household_id}" data-testid="back-to-household"'
    assert back in page


def test_the_kin_search_shows_how_many_it_found(client, web, world, session):
    web("admin")
    member = session.scalar(select(Member).where(Member.id == world.a.kin_a))
    same = session.scalars(select(Member.id).where(Member.name.contains(member.name))).all()
    page = client.get("/registry/kin", params={"q": member.name}).text
    assert f'data-testid="total">共 {len(same):,} 条<' in page


def test_the_village_page_names_its_urban_rural_class_with_the_code_beside(client, web, world, session):
    from zhucun.divisions.models import Division

    village = session.get(Division, world.a.village)
    village.urban_rural_code, village.population = "220", 12345
    session.flush()
    web("admin")
    page = client.get(f"/divisions/{world.a.village}").text
    facts = page.split('data-testid="division-facts"')[1].split("</dl>")[0]
    assert '<dd>村庄 <span class="code text-body-secondary small">220</span></dd>' in facts
    assert "<dd>12,345</dd>" in facts


def test_the_import_preview_names_the_village_of_a_division_code(client, web, world, session):
    from zhucun.divisions.models import Division

    csrf = web("xczx")
    rows = member_rows([world.a.village], 2, seed=72)
    checked = client.post(
        "/imports/members", data={"csrf_token": csrf, "dry_run": "1"}, files=upload(rows), headers=HTMX
    ).text
    name = session.scalar(select(Division.name).where(Division.code == world.a.village))
    assert f'<td>{name} <span class="code text-body-secondary small">{world.a.village}</span></td>' in checked
