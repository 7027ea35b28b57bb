"""The import API over HTTP: uploads, located errors in the caller's language, one import per
file, the history in keyset pages within the caller's area, the report and the templates."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import python_calamine
from sqlalchemy import func, select

from tests.factories.imports import XLSX, cadre_rows, csv_bytes, member_rows
from tests.factories.leaks import clear_ids_in
from tests.factories.registry import id_number
from zhucun.core.idnumbers import gender_of, mask
from zhucun.core.imports.models import ImportProblem
from zhucun.core.permissions import Role
from zhucun.registry.import_kind import sample
from zhucun.registry.models import Member
from zhucun.selection.cadres import import_sample as cadre_sample
from zhucun.selection.cadres.models import Cadre

HEADERS = sample.MEMBER_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}


def upload(rows: list[list[str]], name: str = "members.csv", headers: list[str] = HEADERS) -> dict:
    return {"file": (name, csv_bytes(headers, rows), "text/csv")}


def bad_rows(world, seed: int = 41) -> list[list[str]]:
    rows = member_rows([world.a.village], 6, seed=seed)
    rows[2][COLUMN["证件号码"]] = "5227991990"
    rows[4][COLUMN["出生日期"]] = "去年"
    return rows


def sheet_rows(body: bytes, index: int = 0) -> list[list]:
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(body))
    return book.get_sheet_by_index(index).to_python()


def test_import_members(api, world, session):
    rows = member_rows([world.a.village], 12, seed=40)
    response = api("xczx").post("/api/v1/imports/members", files=upload(rows))
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["members"], body["households"], body["dry_run"]) == (12, len({r[0] for r in rows}), False)
    assert session.scalar(select(func.count()).select_from(Member).where(Member.import_id == body["import_id"])) == 12


def test_errors_are_located_and_translated(api, world):
    client = api("xczx")
    english = client.post("/api/v1/imports/members", files=upload(bad_rows(world)), headers={"Accept-Language": "en"})
    assert english.status_code == 422
    body = english.json()
    assert body["code"] == "rejected" and body["total"] == 2 and body["more"] == 0 and body["import_id"]
    assert [(e["row"], e["column"], e["code"]) for e in body["errors"]] == [(4, "E", "bad_id"), (6, "H", "bad_date")]
    assert "18 characters" in body["errors"][0]["message"] and "“去年”" in body["errors"][1]["message"]
    chinese = client.post(
        "/api/v1/imports/members", files=upload(bad_rows(world)), headers={"Accept-Language": "zh-CN"}
    ).json()
    assert "“去年”" in chinese["errors"][1]["message"] and "date" not in chinese["errors"][1]["message"]


def test_dry_run_then_import_then_the_same_file_again(api, world, session):
    client = api("xczx")
    rows = member_rows([world.a.village], 5, seed=42)
    members = select(func.count()).select_from(Member)
    before = session.scalar(members)
    checked = client.post("/api/v1/imports/members", files=upload(rows), data={"dry_run": "true"})
    assert checked.status_code == 200 and checked.json()["dry_run"] is True
    assert session.scalar(members) == before
    done = client.post("/api/v1/imports/members", files=upload(rows))
    assert done.status_code == 200
    assert session.scalar(members) == before + len(rows)
    again = client.post("/api/v1/imports/members", files=upload(rows, "copy.csv"), headers={"Accept-Language": "en"})
    assert again.status_code == 409
    assert again.json()["code"] == "already_imported"
    assert f"(import #{done.json()['import_id']})" in again.json()["message"]


def test_history_in_keyset_pages_within_the_area(api, world):
    admin = api("admin")
    for seed in (43, 44, 45):
        admin.post("/api/v1/imports/members", files=upload(member_rows([world.a.village], 3, seed=seed)))
    admin.post("/api/v1/imports/members", files=upload(member_rows([world.b.village], 3, seed=46), "b.csv"))
    first = admin.get("/api/v1/imports", params={"limit": 2}).json()
    second = admin.get("/api/v1/imports", params={"limit": 2, "cursor": first["next_cursor"]}).json()
    ids = [b["id"] for b in first["items"] + second["items"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 4
    seen_by_a = api("xczx").get("/api/v1/imports").json()["items"]
    assert len(seen_by_a) == 3 and {b["division_code"] for b in seen_by_a} == {world.a.village}
    assert api(world.username(Role.TOWNSHIP, "b")).get("/api/v1/imports").json()["items"][0]["filename"] == "b.csv"


def test_one_import_with_its_errors_and_its_report(api, world):
    client = api("xczx")
    refused = client.post(
        "/api/v1/imports/members", files=upload(bad_rows(world, 47)), headers={"Accept-Language": "en"}
    )
    number = refused.json()["import_id"]
    detail = client.get(f"/api/v1/imports/{number}").json()
    assert (detail["status"], detail["errors"], detail["problems_listed"]) == ("rejected", 2, 2)
    assert [(p["row"], p["column"]) for p in detail["problems"]] == [(4, "E"), (6, "H")]
    report = client.get(f"/api/v1/imports/{number}/report.xlsx", headers={"Accept-Language": "en"})
    assert report.status_code == 200 and report.headers["content-type"] == XLSX
    cells = sheet_rows(report.content)
    table = [row[:2] for row in cells[5:]]
    assert table == [[4.0, "E"], [6.0, "H"]] or table == [[4, "E"], [6, "H"]]
    assert "18 characters" in cells[5][2]
    chinese = sheet_rows(
        client.get(f"/api/v1/imports/{number}/report.xlsx", headers={"Accept-Language": "zh-CN"}).content
    )
    assert "去年" in chinese[6][2]
    assert api(world.username(Role.RR_BUREAU, "b")).get(f"/api/v1/imports/{number}").status_code == 404


def test_templates_and_a_filled_template_imports(api, world, tmp_path: Path):
    client = api("xczx")
    csv_template = client.get("/api/v1/imports/templates/members.csv")
    assert csv_template.status_code == 200
    assert csv_template.content.decode("utf-8-sig").strip() == ",".join(HEADERS)
    workbook = client.get("/api/v1/imports/templates/members.xlsx")
    assert workbook.headers["content-type"] == XLSX
    assert sheet_rows(workbook.content)[0] == HEADERS
    explanation = sheet_rows(workbook.content, 1)
    relation = next(row for row in explanation if row[1] == "relation_to_head")
    assert "02 户主" in relation[4] and "01 本人" in relation[4]
    path = tmp_path / "filled.xlsx"
    path.write_bytes(workbook.content)
    book = openpyxl.load_workbook(path)
    for row in member_rows([world.a.village], 7, seed=48):
        book.worksheets[0].append(row)
    book.save(path)
    response = client.post("/api/v1/imports/members", files={"file": ("filled.xlsx", path.read_bytes(), XLSX)})
    assert response.status_code == 200, response.text
    assert response.json()["members"] == 7
    cadres = sheet_rows(client.get("/api/v1/imports/templates/cadres.xlsx").content)[0]
    assert cadres[:3] == ["姓名", "身份证号码", "性别"]


def test_cadres_are_imported_by_the_organisation_department(api, world, session):
    rows = cadre_rows([world.a.village, world.a.county], str(world.a.unit_id), 4, seed=49)
    body = {"file": ("cadres.csv", csv_bytes(cadre_sample.CADRE_HEADERS, rows), "text/csv")}
    response = api("zzb").post("/api/v1/imports/cadres", files=body)
    assert response.status_code == 200, response.text
    assert response.json()["cadres"] == 4
    stored = session.scalars(select(Cadre).where(Cadre.import_id == response.json()["import_id"])).all()
    assert {c.division_code for c in stored} == {world.a.village, world.a.county}
    assert {c.unit_id for c in stored} == {world.a.unit_id} and all(c.id_cipher for c in stored)


def test_who_may_import_what(api, world):
    members = upload(member_rows([world.a.village], 2, seed=50))
    cadres = {
        "file": ("c.csv", csv_bytes(cadre_sample.CADRE_HEADERS, cadre_rows([world.a.village], "1", 1)), "text/csv")
    }
    assert api("zhen").post("/api/v1/imports/cadres", files=cadres).status_code == 403
    assert api("danwei").post("/api/v1/imports/cadres", files=cadres).status_code == 403
    assert api("zzb").post("/api/v1/imports/members", files=members).status_code == 403
    assert api("bangfu").post("/api/v1/imports/members", files=members).status_code == 403
    assert api("bangfu").get("/api/v1/imports").status_code == 403


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_an_id_number_in_the_wrong_column_is_masked_in_the_answer_the_table_and_the_report(api, world, session):
    rows = member_rows([world.a.village], 6, seed=47)
    number, other = rows[1][COLUMN["证件号码"]], rows[3][COLUMN["证件号码"]]
    rows[1][COLUMN["出生日期"]] = number
    rows[3][COLUMN["出生日期"]] = f"身份证 {other.translate(FULL_WIDTH)}"
    client = api("xczx")
    answer = client.post("/api/v1/imports/members", files=upload(rows), data={"dry_run": "true"})
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert [(e["row"], e["code"]) for e in body["errors"]] == [(3, "bad_date"), (5, "bad_date")]
    assert mask(number) in body["errors"][0]["message"] and mask(other) in body["errors"][1]["message"]
    stored = session.execute(
        select(ImportProblem.message_zh, ImportProblem.message_en).where(ImportProblem.import_id == body["import_id"])
    ).all()
    report = client.get(f"/api/v1/imports/{body['import_id']}/report.xlsx").content
    shown = [answer.text, *(m for row in stored for m in row), *(str(c) for row in sheet_rows(report) for c in row)]
    assert len(stored) == 2 and clear_ids_in(shown) == []


def with_birth(row: list[str], born: str, seq: int) -> str:
    """The row's person born on ``born`` (YYYYMMDD): a new number of the same sex, no birth-date cell."""
    male = gender_of(row[COLUMN["证件号码"]]) == "male"
    row[COLUMN["证件号码"]] = id_number(row[COLUMN["证件号码"]][:6], born, male=male, seq=seq)
    row[COLUMN["出生日期"]] = ""
    return row[COLUMN["证件号码"]]


def test_an_implausible_birth_date_is_imported_with_a_note(api, world, session):
    rows = member_rows([world.a.village], 6, seed=48)
    old = with_birth(rows[1], "18800101", 871)
    unborn = with_birth(rows[4], f"{date.today().year + 1}0101", 872)
    client = api("xczx")
    done = client.post("/api/v1/imports/members", files=upload(rows), headers={"Accept-Language": "en"})
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["members"] == 6
    assert [(n["row"], n["column"], n["code"]) for n in body["notes"]] == [
        (3, "E", "id_over_age"),
        (6, "E", "id_future_birth"),
    ]
    assert body["notes"][0]["message"] == (
        f"ID number {mask(old)} (imported): The birth date in the number, 1880-01-01, makes the person older "
        "than 120; check the number against the ID card."
    )
    assert mask(unborn) in body["notes"][1]["message"] and "is in the future" in body["notes"][1]["message"]
    detail = client.get(f"/api/v1/imports/{body['import_id']}").json()
    assert (detail["status"], detail["errors"]) == ("done", 0)
    cells = sheet_rows(client.get(f"/api/v1/imports/{body['import_id']}/report.xlsx").content)
    texts = [str(c) for row in cells for c in row]
    assert not any("未保存" in t or "nothing was saved" in t for t in texts)
    notes = [row for row in cells if "1880-01-01" in str(row[2:3])]
    assert len(notes) == 1 and "超过120岁" in notes[0][2] and mask(old) in notes[0][2]


def test_notes_follow_the_errors_in_the_report_of_a_refused_file(api, world):
    rows = bad_rows(world, 49)
    with_birth(rows[0], "18991231", 873)
    client = api("xczx")
    refused = client.post("/api/v1/imports/members", files=upload(rows), headers={"Accept-Language": "en"})
    assert refused.status_code == 422 and refused.json()["total"] == 2
    cells = sheet_rows(
        client.get(
            f"/api/v1/imports/{refused.json()['import_id']}/report.xlsx", headers={"Accept-Language": "en"}
        ).content
    )
    lines = [" ".join(str(c) for c in row) for row in cells]
    heading = lines.index(next(line for line in lines if line.startswith("Notes (not errors")))
    assert "2 error(s) found; nothing was saved." in lines[1]
    assert any("18 characters" in line for line in lines[:heading])
    assert "1899-12-31" in lines[heading + 1]
