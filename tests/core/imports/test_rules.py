"""The rules of a member file, without a database: real CSV and .xlsx files read and checked,
every error located by spreadsheet row and column letter."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.factories.imports import csv_bytes, member_rows, xlsx_bytes
from zhucun.core.errors import Rejected
from zhucun.core.i18n import use_locale
from zhucun.core.idnumbers import check_char
from zhucun.core.imports.checks import Divisions, Ledger, check_registered
from zhucun.core.imports.files import ImportLimits, Source, inspect
from zhucun.core.imports.problems import Problems
from zhucun.core.imports.readers import read_table
from zhucun.registry.import_kind import MEMBERS, sample
from zhucun.registry.import_kind.rules import Facts, Members, check_members

VILLAGE, OTHER_VILLAGE, TOWNSHIP = "522799101201", "522799101202", "522799101000"
OUTSIDE = "522799102201"  # a village of another township
TODAY = dt.date(2026, 1, 15)
HEADERS = sample.MEMBER_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}


def facts() -> Facts:
    levels = {VILLAGE: "village", OTHER_VILLAGE: "village", TOWNSHIP: "township", OUTSIDE: "village"}
    return Facts(Divisions(levels, lambda code: code.startswith("522799101")), {VILLAGE: {"上寨组": 3}}, set())


def check(data: bytes, *, filename: str = "f.csv", cap: int = 10_000, known: Facts | None = None) -> Members:
    source = Source.of_bytes(data, filename)
    info = inspect(source, max_bytes=10**9, limits=ImportLimits())
    table = read_table(source, info, MEMBERS.columns(), MEMBERS.column_for)
    return check_members(table, known or facts(), today=TODAY, ledger=Ledger(Problems(cap)))


def rows(count: int = 8, seed: int = 5) -> list[list[str]]:
    return member_rows([VILLAGE], count, seed)


def put(row: list[str], header: str, value: str) -> None:
    row[COLUMN[header]] = value


def located(members: Members) -> list[tuple[int | None, str | None, str]]:
    return [(e.row, e.column, e.code) for e in members.problems.listed()]


def an_id(birth: str, order: int, region: str = "522799") -> str:
    body = f"{region}{birth}{order:03d}"
    return body + check_char(body)


def test_a_good_file_has_no_errors_and_its_households():
    good = rows(12)
    members = check(csv_bytes(HEADERS, good))
    assert not members.problems, located(members)
    numbers = list(dict.fromkeys(r[0] for r in good))
    assert members.grouping.numbers == numbers
    heads = [members.values["name"][r] for r in members.head_row.tolist()]
    assert heads == [r[COLUMN["姓名"]] for r in good if r[COLUMN["与户主关系"]] == "户主"]
    assert members.values["relation_to_head"][0] == "02" and members.values["gender"][0] in ("1", "2")
    assert set(members.household["village_code"]) == {VILLAGE}


def test_codes_are_accepted_as_codes_chinese_or_english_labels():
    data = rows(3)
    put(data[0], "民族", "01")
    put(data[1], "民族", "汉族")
    put(data[2], "民族", "Han")
    members = check(csv_bytes(HEADERS, data))
    assert not members.problems, located(members)
    assert members.values["ethnicity"] == ["01", "01", "01"]


def test_a_bad_id_number_is_located_and_named_masked():
    data = rows(4)
    number = data[2][COLUMN["证件号码"]]
    put(data[2], "证件号码", number[:-1] + ("0" if number[-1] != "0" else "1"))
    members = check(csv_bytes(HEADERS, data))
    assert located(members) == [(4, "E", "bad_id")]
    with use_locale("en"):
        message = members.problems.listed()[0].message
    assert "check character is wrong" in message and number[:6] + "********" in message
    assert number not in message


def test_gender_must_agree_with_the_id_and_birth_date_with_its_digits():
    data = rows(3)
    put(data[0], "性别", "女" if data[0][COLUMN["性别"]] == "男" else "男")
    put(data[1], "出生日期", "1901-01-01")
    members = check(csv_bytes(HEADERS, data))
    assert located(members) == [(2, "E", "bad_id"), (3, "H", "birth_date_mismatch")]


def test_the_birth_date_comes_from_the_id_when_none_is_given():
    data = rows(2)
    put(data[0], "出生日期", "")
    members = check(csv_bytes(HEADERS, data))
    born = data[0][COLUMN["证件号码"]][6:14]
    assert members.values["birth_date"][0] == dt.date(int(born[:4]), int(born[4:6]), int(born[6:]))


def test_the_same_person_twice_in_the_file():
    data = rows(5)
    put(data[4], "证件号码", data[1][COLUMN["证件号码"]])
    put(data[4], "性别", data[1][COLUMN["性别"]])
    put(data[4], "出生日期", data[1][COLUMN["出生日期"]])
    members = check(csv_bytes(HEADERS, data))
    assert located(members) == [(6, "E", "id_twice")]
    with use_locale("en"):
        assert "first in row 3" in members.problems.listed()[0].message


def test_villages_must_exist_be_villages_and_lie_in_the_scope():
    data = rows(4)
    for row, code in zip(data, ("522799101299", OUTSIDE, TOWNSHIP, "5227991012")):
        put(row, "行政区划代码", code)
    put(data[0], "户编号", "H1")
    put(data[1], "户编号", "H2")
    put(data[2], "户编号", "H3")
    put(data[3], "户编号", "H4")
    for row in data:
        put(row, "与户主关系", "户主")
    members = check(csv_bytes(HEADERS, data))
    assert [(r, c, code) for r, c, code in located(members) if c == "B"] == [
        (2, "B", "bad_division"),
        (3, "B", "bad_division"),
        (4, "B", "bad_division"),
        (5, "B", "bad_division"),
    ]
    with use_locale("en"):
        messages = [e.message for e in members.problems.listed() if e.column == "B"]
    assert "does not exist or lies outside your area" in messages[0]
    assert "does not exist or lies outside your area" in messages[1]  # the same answer as unknown
    assert "not a village but a township" in messages[2]
    assert "12-digit" in messages[3]


def test_each_household_has_exactly_one_head():
    data = rows(10)
    households = list(dict.fromkeys(r[0] for r in data))
    first_of = {number: next(i for i, r in enumerate(data) if r[0] == number) for number in households}
    second = next(n for n in households[1:] if sum(r[0] == n for r in data) >= 2)
    put(data[first_of[households[0]]], "与户主关系", "子")  # household without a head
    spouse = next(i for i, r in enumerate(data) if r[0] == second and i != first_of[second])
    put(data[spouse], "与户主关系", "本人")  # a second head
    members = check(csv_bytes(HEADERS, data))
    found = located(members)
    assert (first_of[households[0]] + 2, "F", "no_head") in found
    assert (spouse + 2, "F", "two_heads") in found


def test_household_values_must_agree_but_may_be_left_blank_after_the_first_row():
    data = rows(6)
    number = data[0][0]
    rest = [i for i, r in enumerate(data) if r[0] == number][1:]
    assert rest, "the first household has several members"
    put(data[rest[0]], "户类型", "")  # blank: agrees
    put(data[rest[0]], "住址", "")
    members = check(csv_bytes(HEADERS, data))
    assert not members.problems, located(members)
    assert members.household["address"][0] == data[0][COLUMN["住址"]]
    put(data[rest[-1]], "户类型", "特困供养户" if data[0][COLUMN["户类型"]] != "特困供养户" else "一般户")
    members = check(csv_bytes(HEADERS, data))
    assert located(members) == [(rest[-1] + 2, "T", "household_differs")]


def test_bad_numbers_dates_codes_and_flags_name_the_value():
    data = rows(4)
    put(data[0], "务工时间（月）", "13")
    put(data[1], "出生日期", "1980-02-30")
    put(data[2], "民族", "火星族")
    put(data[3], "住房安全有保障", "也许")
    put(data[3], "工资性收入", "-5")
    members = check(csv_bytes(HEADERS, data))
    found = located(members)
    assert (2, "P", "bad_int") in found and (3, "H", "bad_date") in found and (4, "I", "bad_code") in found
    assert (5, "AB", "bad_bool") in found and (5, "AG", "bad_money") in found
    with use_locale("zh_CN"):
        messages = {e.column: e.message for e in members.problems.listed()}
    assert "“火星族”" in messages["I"] and "“13”" in messages["P"] and "“也许”" in messages["AB"]


def test_incomes_need_their_year():
    data = rows(3)
    for row in data:
        put(row, "年度", "")
    members = check(csv_bytes(HEADERS, data))
    assert {code for _r, _c, code in located(members)} == {"income_year_missing"}


def test_header_errors_refuse_the_file_before_any_cell():
    headers = [*HEADERS[:3], "绰号", *HEADERS[5:], "姓名"]  # drops 姓名, 证件号码; adds an unknown one and 姓名 twice
    data = [[*r[:3], "x", *r[5:], "x"] for r in rows(2)]
    data[0].append("stray")
    with pytest.raises(Rejected) as refused:
        check(csv_bytes([*headers[:3], "姓名", *headers[4:]], data))
    found = {(e.row, e.column, e.code) for e in refused.value.errors}
    assert (1, None, "missing_column") in found
    assert any(code == "duplicate_column" for _r, _c, code in found)
    with pytest.raises(Rejected) as unknown:
        check(csv_bytes(headers, [r[:-1] for r in data]))
    assert (1, "D", "unknown_column") in {(e.row, e.column, e.code) for e in unknown.value.errors}


def test_serial_and_remark_columns_and_blank_rows_are_ignored_rows_keep_their_numbers():
    data = [[str(i), *row, "备注"] for i, row in enumerate(rows(4), start=1)]
    data.insert(2, [""] * len(data[0]))
    put_at = 1 + COLUMN["证件号码"]
    data[4][put_at] = "123"
    members = check(csv_bytes(["序号", *HEADERS, "备注"], data))
    assert located(members) == [(6, "F", "bad_id")]
    assert members.rows.tolist() == [2, 3, 5, 6]


def test_gbk_files_and_tab_separated_ones_are_read():
    data = rows(3)
    gbk = csv_bytes(HEADERS, data, encoding="gbk")
    assert not check(gbk).problems
    tabbed = "\n".join("\t".join(r) for r in [HEADERS, *data]).encode("utf-8")
    members = check(tabbed)
    assert not members.problems and members.values["name"][0] == data[0][COLUMN["姓名"]]


def test_a_workbook_with_typed_cells(tmp_path: Path):
    import xlsxwriter

    data = rows(3)
    path = tmp_path / "typed.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, HEADERS)
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(data, start=1):
        for c, value in enumerate(row):
            sheet.write_string(r, c, value)
        sheet.write_datetime(r, COLUMN["出生日期"], dt.datetime.fromisoformat(row[COLUMN["出生日期"]]), dates)
        sheet.write_number(r, COLUMN["识别年度"], 2015)
        sheet.write_boolean(r, COLUMN["住房安全有保障"], True)
    sheet.write_number(2, COLUMN["证件号码"], float(data[1][COLUMN["证件号码"]].replace("X", "0")))
    book.close()
    members = check(path.read_bytes(), filename="typed.xlsx")
    assert located(members) == [(3, "E", "bad_id")]
    with use_locale("en"):
        assert "stored as a number in Excel" in members.problems.listed()[0].message
    assert members.values["registered_year"][0] == 2015 and members.values["housing_safe"][0] is True


def test_the_list_is_capped_and_the_rest_counted(tmp_path: Path):
    data = rows(30)
    for row in data:
        put(row, "民族", "?")
    members = check(xlsx_bytes(tmp_path, HEADERS, data), filename="many.xlsx", cap=10)
    assert members.problems.total == 30
    assert [e.row for e in members.problems.listed()] == list(range(2, 12))


def test_people_already_registered_in_the_county():
    data = rows(3)
    members = check(csv_bytes(HEADERS, data))
    hashes = ["h0", "h1", "h2"]
    check_registered(members.problems, members.rows, "E", members.ids, hashes, {"h1"})
    assert located(members) == [(3, "E", "already_registered")]


def test_household_numbers_already_taken():
    data = rows(4)
    known = facts()
    known.households = {("522799", data[0][0])}
    members = check(csv_bytes(HEADERS, data), known=known)
    assert located(members) == [(2, "A", "household_registered")]


def test_group_names_are_looked_up_in_the_village():
    data = rows(2)
    put(data[0], "村民小组", "上寨组")
    put(data[1], "村民小组", "下寨组")
    put(data[1], "户编号", "other")
    put(data[1], "与户主关系", "户主")
    members = check(csv_bytes(HEADERS, data))
    assert located(members) == [(3, "C", "unknown_group")]
    assert members.values["group"][0] == 3


def test_an_id_helper_is_valid():
    assert an_id("19800101", 11)[-1] == check_char(an_id("19800101", 11)[:17])
