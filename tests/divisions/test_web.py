"""Division pages, in Chinese and in English: the tree, search, a division, the HTMX
children fragment, the edit form with its errors, and the import page."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update

from tests.factories.world import World
from zhucun.core.audit import AuditEntry
from zhucun.divisions.models import Division, VillageGroup


def items(html: str, testid: str) -> list[str]:
    """The data-code of each item of the list marked ``data-testid``."""
    block = html.split(f'data-testid="{testid}"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<li data-code="(\d{12})"', block)


def error_after(html: str, field: str, next_field: str) -> str:
    """The error shown for ``field``: it must stand between that input and the next one."""
    start, end = html.index(f'name="{field}"'), html.index(f'name="{next_field}"')
    found = re.search(rf'<small class="field-error[^"]*" id="{field}-error" role="alert">([^<]*)</small>', html)
    assert found is not None, f"no error shown for {field}"
    assert start < found.start() < end, f"the error for {field} is not next to its field"
    return found.group(1)


def audit_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry))


# --- the tree and search ----------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "title", "search"), [(None, "行政区划", "搜索"), ("en", "Divisions", "Search")])
def test_the_tree_starts_at_the_top_of_the_area(client, web, lang, title, search):
    web("admin")
    page = client.get("/divisions", params={"lang": lang} if lang else {})
    assert page.status_code == 200
    assert f"<h1>{title}</h1>" in page.text and f">{search}</button>" in page.text
    assert items(page.text, "division-tree") == ["520000000000"]
    assert 'hx-get="/divisions/520000000000/children"' in page.text


def test_a_township_account_starts_at_its_township(client, web, world: World):
    web("zhen")
    page = client.get("/divisions")
    assert items(page.text, "division-tree") == [world.a.township]
    assert "导入区划代码表" not in page.text  # no import link without the permission


def test_search_by_name_and_by_code(client, web, session, world: World):
    web("admin")
    by_name = client.get("/divisions", params={"q": "社区"})
    found = items(by_name.text, "search-results")
    assert found == list(
        session.scalars(select(Division.code).where(Division.name.contains("社区")).order_by(Division.code))
    )
    by_code = client.get("/divisions", params={"q": world.a.township[:9]})
    assert items(by_code.text, "search-results")[0] == world.a.township
    nothing = client.get("/divisions", params={"q": "不存在的地名", "lang": "en"})
    assert "Nothing found." in nothing.text


def test_search_results_page_on_without_repeating(client, web, session):
    web("admin")
    first = client.get("/divisions", params={"q": "村"})
    link = re.search(r'href="([^"]+)" data-testid="next-page"', first.text)
    assert link is not None
    second = client.get(link.group(1).replace("&amp;", "&"))
    one, two = items(first.text, "search-results"), items(second.text, "search-results")
    assert len(one) == 50 and two and not set(one) & set(two) and one[-1] < two[0]


# --- a division and its children --------------------------------------------------------------


@pytest.mark.parametrize(("lang", "heading"), [(None, "村民小组"), ("en", "Village groups")])
def test_a_village_page_shows_groups_and_where_it_lies(client, web, session, world: World, lang, heading):
    web("admin")
    page = client.get(f"/divisions/{world.a.village}", headers={"Accept-Language": lang} if lang else {})
    assert page.status_code == 200
    village = session.get(Division, world.a.village)
    assert f'<h1 data-testid="division-name">{village.name}' in page.text
    assert f"<h2>{heading}</h2>" in page.text
    groups = session.scalars(
        select(VillageGroup.name).where(VillageGroup.village_code == village.code).order_by(VillageGroup.number)
    ).all()
    assert re.findall(r"<li>([^<]+)</li>", page.text.split('class="groups"', 1)[1].split("</ol>", 1)[0]) == groups
    trail = page.text.split('class="breadcrumb"', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'href="/divisions/(\d{12})"', trail) == [
        "520000000000",
        "522700000000",
        world.a.county,
        world.a.township,
    ]


def test_the_children_fragment_for_htmx(client, web, session, world: World):
    web("admin")
    fragment = client.get(f"/divisions/{world.a.township}/children", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<nav" not in fragment.text
    children = re.findall(r'<li data-code="(\d{12})"', fragment.text)
    assert children == list(
        session.scalars(select(Division.code).where(Division.parent_code == world.a.township).order_by(Division.code))
    )
    assert '<span class="badge">村</span>' in fragment.text
    english = client.get(f"/divisions/{world.a.county}/children?lang=en", headers={"HX-Request": "true"})
    assert (
        '<span class="badge">Township</span>' in english.text or '<span class="badge">township</span>' in english.text
    )
    assert re.search(r"\d+ below", english.text)


def test_pages_outside_the_area_answer_404(client, web, world: World):
    web("zhen")
    for url in ("/divisions/522799102000", f"/divisions/{world.b.village}", "/divisions/522799102000/children"):
        page = client.get(url)
        assert page.status_code == 404, url
        assert "未找到" in page.text


# --- the edit form -----------------------------------------------------------------------------


def form_of(client, code: str) -> dict[str, str]:
    """The edit form's fields as a browser would send them back unchanged."""
    html = client.get(f"/divisions/{code}/edit").text
    values = dict(re.findall(r'<input [^>]*?name="(\w+)"[^>]*?value="([^"]*)"', html))
    values.update(dict.fromkeys(re.findall(r'<input [^>]*?type="checkbox" name="(\w+)" checked>', html), "on"))
    values["csrf_token"] = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    return values


@pytest.mark.parametrize(("lang", "message"), [(None, "不能大于 54.0。"), ("en", "Must be at most 54.0.")])
def test_the_edit_form_shows_errors_next_to_their_fields(client, web, session, world: World, lang, message):
    web("admin")
    form = form_of(client, world.a.village)
    count = audit_count(session)
    page = client.post(
        f"/divisions/{world.a.village}/edit" + ("?lang=en" if lang else ""),
        data={**form, "latitude": "99", "population": "很多"},
    )
    assert page.status_code == 422
    assert error_after(page.text, "latitude", "checkin_radius_m") == message
    assert error_after(page.text, "population", "collective_income") == (
        "须为整数。" if not lang else "Must be a whole number."
    )
    assert 'name="latitude" inputmode="decimal" value="99"' in page.text  # what was typed stays
    assert audit_count(session) == count


def test_clearing_one_coordinate_is_shown_on_the_form(client, web, session, world: World):
    web("admin")
    form = form_of(client, world.a.village)
    page = client.post(f"/divisions/{world.a.village}/edit", data={**form, "longitude": ""})
    assert page.status_code == 422
    assert error_after(page.text, "longitude", "checkin_radius_m") == "纬度和经度须同时填写或同时留空。"
    session.expire_all()
    assert session.get(Division, world.a.village).longitude is not None
    assert client.get(f"/divisions/{world.a.village}").status_code == 200


def test_a_division_stored_with_half_a_location_still_shows(client, web, session, world: World):
    # Rows written before the pair was checked, or by a bulk load, may hold one coordinate.
    session.execute(update(Division).where(Division.code == world.a.village).values(longitude=None))
    session.commit()
    web("admin")
    page = client.get(f"/divisions/{world.a.village}")
    assert page.status_code == 200
    assert "<dt>位置</dt>" not in page.text


def test_a_saved_edit_redirects_and_shows_in_the_history(client, web, session, world: World):
    web("admin")
    form = form_of(client, world.a.village)
    response = client.post(
        f"/divisions/{world.a.village}/edit",
        follow_redirects=False,
        data={**form, "households": "520", "is_weak_branch": "on", "reason": "入户核实"},
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/divisions/{world.a.village}"
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "division:division:updated")).one()
    assert entry.after == {"households": 520, "is_weak_branch": True}
    assert (entry.reason, entry.via) == ("入户核实", "web")
    history = client.get(f"/divisions/{world.a.village}").text.split("变更历史", 1)[1]
    assert "入户核实" in history and "households: 520" in history


def test_an_unchanged_form_writes_no_entry(client, web, session, world: World):
    web("admin")
    form = form_of(client, world.a.village)
    count = audit_count(session)
    assert client.post(f"/divisions/{world.a.village}/edit", data=form, follow_redirects=False).status_code == 303
    assert audit_count(session) == count


def test_the_edit_form_needs_the_write_permission(client, web, world: World):
    web("zhen")
    assert client.get(f"/divisions/{world.a.village}/edit").status_code == 403


# --- the import page ---------------------------------------------------------------------------


def upload(client, csrf: str, data: bytes, **options: str):
    return client.post(
        "/divisions/import", data={"csrf_token": csrf, **options}, files={"file": ("table.csv", data, "text/csv")}
    )


@pytest.mark.parametrize(("lang", "heading"), [(None, "导入区划代码表"), ("en", "Import a code table")])
def test_the_import_page(client, web, lang, heading):
    web("admin")
    page = client.get("/divisions/import", params={"lang": lang} if lang else {})
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.text and 'type="file" name="file"' in page.text


def test_the_import_page_lists_located_errors_and_saves_nothing(client, web, session):
    csrf = web("admin")
    count = session.scalar(select(func.count()).select_from(Division))
    data = "code,name,贫困村\n522799101299,新村,也许\n5227991012,坏,\n".encode("gbk")
    page = upload(client, csrf, data)
    assert page.status_code == 422
    rows = re.findall(
        r"<tr><td>(\d*)</td><td>([A-Z]*)</td><td>([^<]*)</td></tr>",
        page.text.split('data-testid="import-errors"', 1)[1],
    )
    assert rows == [("2", "C", "须填写“是”或“否”。"), ("3", "A", "区划代码须为 12 位数字，“5227991012”不符合。")]
    assert "发现 2 处错误，未保存任何数据。" in page.text
    assert session.scalar(select(func.count()).select_from(Division)) == count


def test_the_import_page_reports_an_unreadable_file_in_the_table(client, web):
    csrf = web("admin")
    page = upload(client, csrf, 'code,name\n522799101299,"新村\n'.encode())
    assert page.status_code == 422
    assert 'data-testid="import-errors"' in page.text
    assert "<tr><td>2</td><td></td><td>此行不是有效的 CSV" in page.text


def test_the_import_page_imports_and_dry_runs(client, web, session):
    csrf = web("admin")
    data = "统计用区划代码,名称\n522799101299,新村\n".encode("utf-8-sig")
    dry = upload(client, csrf, data, dry_run="1")
    assert dry.status_code == 200
    assert "试运行：未保存任何数据。" in dry.text and "新增 1 个，更新 0 个，村民小组 0 个。" in dry.text
    assert session.get(Division, "522799101299") is None
    done = upload(client, csrf, data)
    assert done.status_code == 200 and "新增 1 个" in done.text and "试运行：" not in done.text
    assert session.get(Division, "522799101299").parent_code == "522799101000"


def test_the_import_page_in_english(client, web):
    csrf = web("admin")
    page = client.post(
        "/divisions/import?lang=en",
        data={"csrf_token": csrf},
        files={"file": ("t.csv", "code,name\n522799101201,田坪村\n".encode(), "text/csv")},
    )
    assert page.status_code == 422
    assert "1 error(s) found; nothing was saved." in page.text
    assert "already exists; import with the update option to change it." in page.text
