"""Import pages, in Chinese and English: history, upload with a dry run that previews the first
rows, the error table with its report link, the result and the detail of an import."""

from __future__ import annotations

import re

from tests.factories.imports import csv_bytes, member_rows
from tests.factories.registry import id_number
from zhucun.core.idnumbers import gender_of, mask
from zhucun.registry.import_kind import sample

HEADERS = sample.MEMBER_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}
HTMX = {"HX-Request": "true"}


def upload(rows: list[list[str]], name: str = "members.csv") -> dict:
    return {"file": (name, csv_bytes(HEADERS, rows), "text/csv")}


def test_the_history_and_upload_pages_in_both_languages(client, web):
    web("xczx")
    chinese = client.get("/imports")
    assert chinese.status_code == 200 and "数据导入" in chinese.text and 'href="/imports/members"' in chinese.text
    assert "导入干部" in chinese.text  # the bureau may import cadres too
    english = client.get("/imports/members?lang=en")
    assert "Households and members" in english.text and "Check only (dry run)" in english.text
    assert "/api/v1/imports/templates/members.xlsx" in english.text


def test_a_township_sees_no_cadre_import(client, web):
    web("zhen")
    page = client.get("/imports")
    assert 'href="/imports/members"' in page.text and 'href="/imports/cadres"' not in page.text
    assert client.get("/imports/cadres").status_code == 403


def test_dry_run_previews_the_first_rows_then_the_import(client, web, world):
    csrf = web("xczx")
    rows = member_rows([world.a.village], 14, seed=60)
    checked = client.post(
        "/imports/members", data={"csrf_token": csrf, "dry_run": "1"}, files=upload(rows), headers=HTMX
    )
    assert checked.status_code == 200 and "<html" not in checked.text
    assert "试运行" in checked.text and "import-preview" in checked.text
    number = rows[0][COLUMN["证件号码"]]
    assert number not in checked.text and number[:6] + "********" + number[14:] in checked.text
    assert checked.text.count("<tr><td>") >= 10
    done = client.post("/imports/members", data={"csrf_token": csrf, "dry_run": ""}, files=upload(rows), headers=HTMX)
    households = len({r[0] for r in rows})
    assert f"已导入 {households} 户、14 名成员" in done.text
    history = client.get("/imports").text.split('data-testid="import-history"')[1]  # below the kinds' templates
    assert history.count("members.csv") == 2 and "已导入" in history and "已校验" in history


def test_a_refused_file_lists_its_errors_with_the_report(client, web, world):
    csrf = web("xczx")
    rows = member_rows([world.a.village], 5, seed=61)
    rows[1][COLUMN["性别"]] = "未知"
    page = client.post("/imports/members?lang=en", data={"csrf_token": csrf}, files=upload(rows, "bad.csv"))
    assert page.status_code == 422 and "<html" in page.text
    assert "1 error(s) found; nothing was saved." in page.text
    assert re.search(r"<td>3</td><td>G</td><td>“未知” is not one of the codes or labels of 性别", page.text)
    report = re.search(r'href="(/api/v1/imports/(\d+)/report\.xlsx)"', page.text)
    assert report and client.get(report.group(1)).status_code == 200
    detail = client.get(f"/imports/{report.group(2)}?lang=en")
    assert "Refused" in detail.text and "“未知”" in detail.text and report.group(1) in detail.text
    partial = client.post("/imports/members", data={"csrf_token": csrf}, files=upload(rows, "bad.csv"), headers=HTMX)
    assert partial.status_code == 200 and "import-errors" in partial.text


def test_the_same_file_twice_says_so(client, web, world):
    csrf = web("xczx")
    rows = member_rows([world.a.village], 3, seed=62)
    client.post("/imports/members", data={"csrf_token": csrf}, files=upload(rows))
    again = client.post("/imports/members?lang=en", data={"csrf_token": csrf}, files=upload(rows))
    assert again.status_code == 409 and "This file was already imported on" in again.text


def test_another_countys_import_is_not_found(client, web, world, session):
    from tests.factories.imports import refused_batch

    number = refused_batch(session, world.b)
    session.commit()
    web("xczx")
    assert client.get(f"/imports/{number}").status_code == 404


def test_an_implausible_birth_date_shows_a_note_after_the_import(client, web, world):
    csrf = web("xczx")
    rows = member_rows([world.a.village], 4, seed=61)
    male = gender_of(rows[2][COLUMN["证件号码"]]) == "male"
    old = id_number(rows[2][COLUMN["证件号码"]][:6], "18800101", male=male, seq=874)
    rows[2][COLUMN["证件号码"]], rows[2][COLUMN["出生日期"]] = old, ""
    done = client.post("/imports/members?lang=en", data={"csrf_token": csrf}, files=upload(rows), headers=HTMX)
    assert done.status_code == 200 and "4 members imported" in done.text
    notes = done.text.split('data-testid="import-notes"', 1)[1].split("</div>", 1)[0]
    assert "Row 4, column E:" in notes and mask(old) in notes and "1880-01-01" in notes and old not in notes
    assert re.search(r'href="/api/v1/imports/\d+/report.xlsx"', notes)
