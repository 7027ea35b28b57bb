"""The rules of a division code table, as pure functions over rows: no database.

Rows are numbered as a spreadsheet shows them (the header is row 1, the first data row 2)
and columns are letters, so that a clerk finds the cell an error names.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import pytest

from zhucun.core.codes import level_of
from zhucun.core.i18n import use_locale
from zhucun.core.tabular import read_header
from zhucun.divisions.rules import (
    COLUMNS,
    Checked,
    check_table,
    location_problem,
    structure_problem,
)

HEADER = ("code", "name", "parent_code")
# A small tree that is already stored: 湖南省 → 长沙市 → 芙蓉区 → 文艺路街道.
STORED = {"430000000000", "430100000000", "430102000000", "430102001000"}


def check(
    *rows: Sequence[str],
    header: Sequence[str] = HEADER,
    existing: set[str] = frozenset(),
    update: bool = False,
    covers=None,
) -> Checked:
    """Check data rows under a header; the first data row is row 2."""
    return check_table(
        read_header(list(header), COLUMNS), enumerate(rows, start=2), set(existing), update=update, covers=covers
    )


def located(checked: Checked) -> list[tuple[int | None, str | None, str]]:
    return [(e.row, e.column, e.code) for e in checked.errors]


def by_code(checked: Checked) -> dict[str, dict]:
    return {r["code"]: r for r in checked.rows}


# --- levels and parents ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("430000000000", "province"),
        ("430100000000", "prefecture"),
        ("430102000000", "county"),
        ("430102001000", "township"),
        ("430102001001", "village"),
        ("430102400000", "township"),
    ],
)
def test_level_is_read_from_the_code(code, level):
    assert level_of(code) == level
    assert by_code(check((code, "某地", ""), existing=STORED, update=True))[code]["level"] == level


def test_parents_are_derived_from_the_codes_when_the_column_is_absent():
    checked = check(
        ("430000000000", "湖南省"),
        ("430100000000", "长沙市"),
        ("430102000000", "芙蓉区"),
        ("430102001000", "文艺路街道"),
        ("430102001001", "某社区"),
        header=("code", "name"),
    )
    assert checked.errors == []
    assert {c: (r["level"], r["parent_code"]) for c, r in by_code(checked).items()} == {
        "430000000000": ("province", None),
        "430100000000": ("prefecture", "430000000000"),
        "430102000000": ("county", "430100000000"),
        "430102001000": ("township", "430102000000"),
        "430102001001": ("village", "430102001000"),
    }


def test_a_derived_parent_may_already_be_stored():
    checked = check(("430102001001", "某社区", ""), existing=STORED)
    assert checked.errors == []
    assert by_code(checked)["430102001001"]["parent_code"] == "430102001000"


def test_a_derived_parent_is_the_division_right_above():
    # 隆平高科技园 (a 4xx code) hangs on its county like a street; a prefecture-level city
    # without counties (东莞) has its townships right below it.
    checked = check(
        ("430102400000", "隆平高科技园", ""),
        ("441900000000", "东莞市", ""),
        ("441900003000", "东城街道", ""),
        ("441900003001", "某社区", ""),
        existing=STORED | {"440000000000"},
    )
    assert checked.errors == []
    parents = {c: r["parent_code"] for c, r in by_code(checked).items()}
    assert parents == {
        "430102400000": "430102000000",
        "441900000000": "440000000000",
        "441900003000": "441900000000",
        "441900003001": "441900003000",
    }


def test_a_division_whose_parent_is_missing_is_refused_even_if_a_higher_one_exists():
    # Hanging the village on the county instead would hide it from its township, once that
    # township is imported.
    checked = check(("430102002001", "某社区", ""), existing=STORED)
    assert located(checked) == [(2, "A", "unknown_parent")]
    with use_locale("en"):
        assert checked.errors[0].message == (
            "No parent of 430102002001 is in the file or in the system (expected 430102002000)."
        )
    assert checked.rows == []


def test_an_explicit_parent_must_be_an_ancestor():
    checked = check(
        ("430102001001", "某社区", "430103000000"), ("430102001002", "某社区", "430102001001"), existing=STORED
    )
    assert located(checked) == [(2, "A", "not_extending"), (3, "A", "not_extending")]
    with use_locale("zh_CN"):
        assert (
            checked.errors[0].message
            == "代码 430102001001 与上级代码 430103000000 不一致（下级代码须以上级代码开头）。"
        )
    with use_locale("en"):
        assert checked.errors[0].message == "The code 430102001001 does not extend its parent's code 430103000000."


def test_an_explicit_parent_must_exist():
    checked = check(("430102002001", "某社区", "430102002000"), existing=STORED)
    assert located(checked) == [(2, "C", "unknown_parent")]
    with use_locale("en"):
        assert checked.errors[0].message == "The parent 430102002000 is neither in the file nor in the system."


def test_an_explicit_parent_must_be_the_nearest_division_above():
    # Hanging the village on the county would hide it from its township's children.
    checked = check(("430102001001", "某社区", "430102000000"), existing=STORED)
    assert located(checked) == [(2, "C", "parent_skips_level")]
    with use_locale("en"):
        assert checked.errors[0].message == (
            "The parent of 430102001001 is 430102001000, the division right above it, not 430102000000."
        )


def test_an_explicit_parent_in_the_file_is_accepted():
    checked = check(
        ("430102002000", "朝阳街街道", "430102000000"), ("430102002001", "某社区", "430102002000"), existing=STORED
    )
    assert checked.errors == []
    assert by_code(checked)["430102002001"]["parent_code"] == "430102002000"


def test_a_badly_formed_parent_code_is_located_in_its_column():
    checked = check(("430102001001", "某社区", "4301020010"), existing=STORED)
    assert located(checked) == [(2, "C", "bad_code")]


# --- duplicates ----------------------------------------------------------------------------------


def test_a_code_twice_in_the_file_names_the_first_row():
    checked = check(
        ("430102002000", "朝阳街街道", ""),
        ("430102003000", "韭菜园街道", ""),
        ("430102002000", "朝阳街街道", ""),
        existing=STORED,
    )
    assert located(checked) == [(4, "A", "duplicate_code")]
    with use_locale("zh_CN"):
        assert checked.errors[0].message == "代码 430102002000 重复出现（首次出现在第 2 行）。"
    with use_locale("en"):
        assert checked.errors[0].message == "The code 430102002000 appears twice (first in row 2)."


def test_a_stored_code_needs_the_update_option():
    refused = check(("430102001000", "文艺路街道", ""), existing=STORED)
    assert located(refused) == [(2, "A", "duplicate_code")]
    with use_locale("en"):
        assert "update option" in refused.errors[0].message
    accepted = check(("430102001000", "文艺路街道", ""), existing=STORED, update=True)
    assert accepted.errors == []
    assert by_code(accepted)["430102001000"]["parent_code"] == "430102000000"


# --- malformed codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "zh", "en"),
    [
        ("43010200100", "区划代码须为 12 位数字", "must have exactly 12 digits"),
        ("4301020010ab", "区划代码须为 12 位数字", "must have exactly 12 digits"),
        ("4301020010011", "区划代码须为 12 位数字", "must have exactly 12 digits"),
        ("990000000000", "不是 GB/T 2260 规定的省级代码", "does not start with a province code"),
        ("430000000001", "某一段为全零", "zero segment above its own level"),
        ("430102000001", "某一段为全零", "zero segment above its own level"),
        ("430000001000", "某一段为全零", "zero segment above its own level"),
    ],
)
def test_malformed_codes_are_refused_with_their_reason(code, zh, en):
    checked = check((code, "某地", ""), existing=STORED)
    assert located(checked) == [(2, "A", "bad_code")]
    with use_locale("zh_CN"):
        assert zh in checked.errors[0].message and code in checked.errors[0].message
    with use_locale("en"):
        assert en in checked.errors[0].message and code in checked.errors[0].message


@pytest.mark.parametrize(
    "code",
    [
        "110000000000",
        "110101001001",
        "430102400000",
        "522799101201",
        "650000000000",
        # 东莞 and 嘉峪关 have no counties: their towns carry county segment 00 in the national table.
        "441900003000",
        "441900003001",
        "620200100000",
    ],
)
def test_well_formed_codes_have_no_structure_problem(code):
    assert structure_problem(code) is None


def test_spaces_inside_a_code_are_ignored():
    checked = check(("4301 0200 1001", "某社区", ""), existing=STORED)
    assert checked.errors == []
    assert list(by_code(checked)) == ["430102001001"]


# --- names, levels and attributes ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"), [("", "missing"), ("长" * 101, "too_long"), ("某\n430102001002,社区", "bad_name")]
)
def test_bad_names_are_located(name, code):
    assert located(check(("430102001001", name, ""), existing=STORED)) == [(2, "B", code)]


def test_a_declared_level_must_match_the_code():
    header = ("code", "name", "level")
    assert check(("430102001001", "某社区", "村"), header=header, existing=STORED).errors == []
    checked = check(("430102001001", "某社区", "乡镇"), header=header, existing=STORED)
    assert located(checked) == [(2, "C", "level_mismatch")]
    with use_locale("en"):
        assert checked.errors[0].message == "The level “乡镇” does not match the code, which names a village."


ATTRIBUTE_HEADER = (
    "统计用区划代码",
    "名称",
    "纬度",
    "经度",
    "打卡半径(米)",
    "人口",
    "户数",
    "村集体收入(元)",
    "贫困村",
    "已出列",
    "出列年份",
    "城乡分类代码",
)


def test_attributes_are_parsed():
    checked = check(
        ("430102001001", "某社区", "28.19", "112.99", "1500", "3,200", "980", "1,234.5", "是", "否", "", "111"),
        header=ATTRIBUTE_HEADER,
        existing=STORED,
    )
    assert checked.errors == []
    row = by_code(checked)["430102001001"]
    assert (row["latitude"], row["longitude"], row["checkin_radius_m"]) == (28.19, 112.99, 1500)
    assert (row["population"], row["households"]) == (3200, 980)
    assert row["collective_income"] == Decimal("1234.50")
    assert (row["is_poor_village"], row["is_exited"], row["urban_rural_code"]) == (True, False, "111")
    assert "exited_year" not in row


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        (("2.9", "112.99"), "C", "bad_value"),  # south of China
        (("54.1", "112.99"), "C", "bad_value"),
        (("北纬28", "112.99"), "C", "bad_value"),
        (("28.19", "72.9"), "D", "bad_value"),
        (("28.19", "136.1"), "D", "bad_value"),
        (("28.19", ""), "D", "incomplete_location"),  # a point needs both coordinates
        (("", "112.99"), "C", "incomplete_location"),
    ],
)
def test_latitude_and_longitude_are_checked(cells, column, code):
    header = ("code", "name", "lat", "lng")
    assert located(check(("430102001001", "某社区", *cells), header=header, existing=STORED)) == [(2, column, code)]


@pytest.mark.parametrize(
    ("header", "value", "code"),
    [
        ("人口", "-1", "bad_value"),
        ("人口", "三千", "bad_value"),
        ("户数", "12.5", "bad_value"),
        ("村集体收入(元)", "一万", "bad_value"),
        ("村集体收入(元)", "1e13", "bad_value"),
        ("村集体收入(元)", "NaN", "bad_value"),
        ("打卡半径(米)", "5", "bad_value"),
        ("出列年份", "1979", "bad_value"),
        ("城乡分类代码", "22", "bad_value"),
        ("贫困村", "也许", "bad_flag"),
        ("民族地区", "2", "bad_flag"),
    ],
)
def test_bad_attribute_values_are_located(header, value, code):
    checked = check(("430102001001", "某社区", value), header=("code", "name", header), existing=STORED)
    assert located(checked) == [(2, "C", code)]


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("是", True),
        ("否", False),
        ("Y", True),
        ("n", False),
        ("1", True),
        ("0", False),
        ("TRUE", True),
        ("", None),
        ("-", None),
    ],
)
def test_flags_read_chinese_and_latin_answers(text, flag):
    row = by_code(check(("430102001001", "某社区", text), header=("code", "name", "重点帮扶村"), existing=STORED))
    assert row["430102001001"].get("is_key_village") is flag


def test_a_flag_error_is_translated():
    checked = check(("430102001001", "某社区", "也许"), header=("code", "name", "贫困村"), existing=STORED)
    with use_locale("zh_CN"):
        assert checked.errors[0].message == "须填写“是”或“否”。"
    with use_locale("en"):
        assert checked.errors[0].message == "Must be 是 or 否 (yes or no)."


def test_village_groups_are_split_on_common_separators():
    row = by_code(
        check(
            ("430102001001", "某社区", "一组；二组、三组,四组|  五组 ;"),
            header=("code", "name", "村民小组"),
            existing=STORED,
        )
    )["430102001001"]
    assert row["groups"] == ["一组", "二组", "三组", "四组", "五组"]


def test_location_problem_names_the_missing_coordinate():
    assert location_problem(None, None) is None
    assert location_problem(28.1, 112.9) is None
    assert location_problem(28.1, None)[0] == "longitude"
    assert location_problem(None, 112.9)[0] == "latitude"


# --- where errors are, and how many --------------------------------------------------------------


def test_columns_are_lettered_where_the_file_puts_them():
    header = ("名称", "人口", "上级代码", "统计用区划代码")
    checked = check(
        ("某社区", "多", "430102000000", "430102001001"), ("", "10", "", "430102001002"), header=header, existing=STORED
    )
    assert located(checked) == [(2, "B", "bad_value"), (2, "C", "parent_skips_level"), (3, "A", "missing")]


def test_every_error_of_a_table_is_reported_in_row_order():
    checked = check(
        ("430102001001", "", ""),
        ("43010200100X", "某地", ""),
        ("430102009001", "某社区", ""),
        ("430102001001", "某社区", ""),
        existing=STORED,
    )
    assert located(checked) == [
        (2, "B", "missing"),
        (3, "A", "bad_code"),
        (4, "A", "unknown_parent"),
        (5, "A", "duplicate_code"),
    ]


def test_rows_outside_the_importers_area_are_refused_at_their_row():
    checked = check(
        ("430102001001", "某社区", ""),
        ("430103001001", "某社区", ""),
        existing=STORED | {"430103000000", "430103001000"},
        covers=lambda c: c.startswith("430102"),
    )
    assert located(checked) == [(3, "A", "out_of_scope")]
    with use_locale("en"):
        assert checked.errors[0].message == "The division 430103001001 is outside your area."


def test_location_of_an_error_reads_like_a_spreadsheet():
    error = check(("430102001001", "某社区", "也许"), header=("code", "name", "贫困村"), existing=STORED).errors[0]
    with use_locale("zh_CN"):
        assert str(error).startswith("第 2 行, 第 C 列: ")
    with use_locale("en"):
        assert str(error).startswith("row 2, column C: ")
