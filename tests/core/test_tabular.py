"""Reading uploaded tables: encodings, separators, quoting and header errors (no database)."""

from __future__ import annotations

import pytest

from zhucun.core.errors import Invalid, Rejected
from zhucun.core.i18n import use_locale
from zhucun.core.tabular import Column, csv_rows, decode, read_header

TEXT = "统计用区划代码,名称\r\n430102001000,文艺路街道\r\n"
ROWS = [["统计用区划代码", "名称"], ["430102001000", "文艺路街道"]]


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        TEXT.encode("utf-8-sig"),
        TEXT.encode("gbk"),
        TEXT.encode("gb18030"),
        TEXT.encode("utf-16"),  # Excel's "Unicode text", with its byte-order mark
    ],
    ids=["utf-8", "utf-8 with BOM", "gbk", "gb18030", "utf-16"],
)
def test_encodings_of_chinese_spreadsheets_are_recognised(data):
    assert list(csv_rows(data)) == ROWS


@pytest.mark.parametrize("separator", [",", "\t", ";"])
def test_the_separator_is_read_from_the_header(separator):
    data = f"code{separator}name{separator}纬度\n430102001001{separator}某社区{separator}28.1\n".encode()
    assert list(csv_rows(data)) == [["code", "name", "纬度"], ["430102001001", "某社区", "28.1"]]


def test_a_comma_inside_a_tab_separated_cell_stays_in_the_cell():
    data = "code\tname\n430102001001\t某社区, 一组\n".encode()
    assert list(csv_rows(data))[1] == ["430102001001", "某社区, 一组"]


def test_doubled_quotes_inside_a_quoted_cell_are_one_quote():
    data = 'code,name\n430102001001,"某""新""社区, 一组"\n'.encode()
    assert list(csv_rows(data))[1] == ["430102001001", '某"新"社区, 一组']


def test_cells_are_stripped_and_blank_lines_kept_as_empty_rows():
    data = "code,name\n\n 430102001001 , 某社区 \n".encode()
    assert list(csv_rows(data)) == [["code", "name"], [], ["430102001001", "某社区"]]


def test_an_unbalanced_quote_is_an_error_at_the_row_where_it_opens():
    # Without strict quoting the open quote swallows the rest of the file into one cell.
    data = 'code,name\n430102001001,某社区\n430102001002,"某社区\n430102001003,某社区\n'.encode()
    with pytest.raises(Invalid) as caught:
        list(csv_rows(data))
    assert (caught.value.row, caught.value.column, caught.value.code) == (3, None, "bad_csv")
    with use_locale("zh_CN"):
        assert str(caught.value).startswith("第 3 行: 此行不是有效的 CSV")
    with use_locale("en"):
        assert str(caught.value).startswith("row 3: This row is not valid CSV")


def test_a_quote_in_the_middle_of_a_quoted_cell_is_an_error():
    with pytest.raises(Invalid) as caught:
        list(csv_rows('code,name\n430102001001,"某"社区"\n'.encode()))
    assert caught.value.row == 2


def test_bytes_that_are_neither_utf8_nor_gbk_are_refused():
    with pytest.raises(Invalid) as caught:
        decode(b"\x81\x30\x81")
    assert (caught.value.row, caught.value.code) == (1, "bad_encoding")


COLUMNS = (
    Column("code", ("统计用区划代码", "代码"), required=True),
    Column("name", ("名称",), required=True),
    Column("latitude", ("纬度", "lat")),
)


def test_header_names_and_aliases_map_to_fields():
    header = read_header(["名称", " LAT ", "统计用区划代码"], COLUMNS)
    assert header.positions == {"name": 0, "latitude": 1, "code": 2}
    assert header.letter("code") == "C"
    assert header.values(["某社区", "28.1"]) == {"name": "某社区", "latitude": "28.1", "code": ""}


def test_header_errors_are_all_reported_on_row_1_with_their_column():
    with pytest.raises(Rejected) as caught:
        read_header(["代码", "纬度", "lat", "备注"], COLUMNS)
    errors = [(e.row, e.column, e.code) for e in caught.value.errors]
    assert errors == [(1, "C", "duplicate_column"), (1, "D", "unknown_column"), (1, None, "missing_column")]
    with use_locale("zh_CN"):
        assert [e.message for e in caught.value.errors] == [
            "列“lat”重复出现。",
            "无法识别的列“备注”。",
            "缺少必填列“名称”。",
        ]
    with use_locale("en"):
        assert [e.message for e in caught.value.errors] == [
            "The column “lat” appears twice.",
            "Unknown column “备注”.",
            "The required column “名称” is missing.",
        ]
