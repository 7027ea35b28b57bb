"""The describer, without a database: each kind of record read as a sentence in Chinese and
in English, with field labels, catalogue labels and the names a page looked up."""

from __future__ import annotations

import pytest

from zhucun.core import present
from zhucun.core.i18n import use_locale

WANG = "王镇长（乡镇）"
NAMES = {
    ("division", "522799101212"): "花河村",
    ("division", "522799000000"): "青岚县",
    ("division", "522798000000"): "白岩县",
    ("household", "7"): "5227990001",
    ("member", "57"): "张小军",
    ("member", "58"): "张建国",
    ("unit", "3"): "贵州省交通运输厅",
    ("cadre", "4"): "张卫东",
    ("user", "10"): "李部长（县委组织部）",
}


@pytest.fixture(autouse=True, scope="module")
def labels():
    present.load()


def say(locale: str, tag: str, entity: str, entity_id, before=None, after=None, here=False, reason=None):
    with use_locale(locale):
        return present.describe(
            tag=tag,
            entity=entity,
            entity_id=entity_id,
            before=before,
            after=after,
            reason=reason,
            actor=WANG,
            names=NAMES,
            here=here,
        )


def test_a_household_change_names_the_field_and_the_catalogue_labels():
    args = ("registry:household:updated", "household", 7, {"main_cause": None}, {"main_cause": "01"})
    assert say("zh_CN", *args, here=True).text == "王镇长（乡镇） 把主要致贫原因从（空）改为 因病"
    assert say("en", *args, here=True).text == f"{WANG} changed the main cause of poverty from (empty) to illness"
    elsewhere = say("zh_CN", *args)
    assert elsewhere.text == "王镇长（乡镇） 修改了农户 5227990001：把主要致贫原因从（空）改为 因病"
    assert [(c.label, c.before, c.after) for c in elsewhere.changes] == [("主要致贫原因", "（空）", "因病")]


def test_several_fields_yes_no_and_a_secret():
    before = {"status": "12", "housing_safe": False, "phone_masked": "139****5678", "phone_cipher": "encrypted:aa"}
    after = {"status": "14", "housing_safe": True, "phone_masked": "139****0000", "phone_cipher": "encrypted:bb"}
    zh = say("zh_CN", "registry:household:updated", "household", 7, before, after, here=True).text
    assert zh == (
        "王镇长（乡镇） 把状态从 已脱贫享受政策 改为 已脱贫不再享受政策；把住房安全有保障从 否 改为 是；更改了联系电话"
    )
    en = say("en", "registry:household:updated", "household", 7, before, after, here=True).text
    assert "changed the housing safe from No to Yes; changed the phone" in en
    assert "0000" not in zh + en and "encrypted" not in zh + en


def test_a_protected_value_never_shows_its_digest_in_the_table_of_changes():
    # A digest of twelve hex digits can be all digits and read like a code; neither is shown.
    before = {"phone_cipher": "encrypted:938352498298", "unknown_cipher": "encrypted:0123456789ab"}
    after = {"phone_cipher": "encrypted:aa", "unknown_cipher": "encrypted:cd"}
    told = say("zh_CN", "registry:household:updated", "household", 7, before, after, here=True)
    rows = [(c.label, c.before, c.after) for c in told.changes]
    assert rows == [("联系电话", "（已保护）", "（已保护）"), ("unknown cipher", "（已保护）", "（已保护）")]


def test_a_member_added_reads_with_name_and_relation():
    after = {"household_id": 7, "name": "张小军", "relation": "41", "gender": "1"}
    assert say("zh_CN", "registry:member:added", "member", 57, None, after, here=True).text == (
        "王镇长（乡镇） 为本户添加了成员 张小军（孙子）"
    )
    assert say("en", "registry:member:added", "member", 57, None, after).text == (
        f"{WANG} added the member 张小军 (grandson) to the household 5227990001"
    )


def test_an_income_is_labelled_with_its_year():
    after = {"income": {"year": 2025, "wage": "12000.00"}}
    before = {"income": None}
    zh = say("zh_CN", "registry:household:updated", "household", 7, before, after, here=True).text
    assert zh == "王镇长（乡镇） 把2025年工资性收入从（空）改为 12,000"
    assert (
        "wages of 2025 from (empty) to 12,000"
        in say("en", "registry:household:updated", "household", 7, before, after).text
    )


def test_a_posting_names_the_village_and_the_role():
    after = {
        "division_code": "522799101212",
        "posting": {"village_code": "522799101212", "role": "1", "start_date": "2026-03-01"},
    }
    before = {"division_code": "522799000000"}
    zh = say("zh_CN", "selection:cadre:posted", "cadre", 4, before, after).text
    assert zh == "王镇长（乡镇） 选派 张卫东 到 花河村 任第一书记，自 2026-03-01 起"
    en = say("en", "selection:cadre:posted", "cadre", 4, before, after, here=True).text
    assert en == f"{WANG} posted to 花河村 as first secretary from 2026-03-01"


def test_a_cadre_change_reads_the_unit_by_name():
    zh = say("zh_CN", "selection:cadre:updated", "cadre", 4, {"unit_id": None}, {"unit_id": 3}).text
    assert zh == "王镇长（乡镇） 修改了 张卫东 的干部信息：把单位从（空）改为 贵州省交通运输厅"


def test_a_unit_pairing_and_an_account_grant():
    assert say("zh_CN", "accounts:unit:paired", "unit", 3, None, {"county": "522798000000"}).text == (
        "王镇长（乡镇） 安排 贵州省交通运输厅 对口帮扶 白岩县"
    )
    before = {"grants": [["township", "522799101000", None]]}
    after = {"grants": [["township", "522799101000", None], ["helper", "522799101212", None]]}
    en = say("en", "account:role:granted", "user", 10, before, after).text
    assert en.startswith(f"{WANG} granted a role to 李部长（县委组织部）: changed the roles from Township")
    assert "Helper (花河村)" in en


def test_divisions_kin_officials_exports_and_reveals():
    division = say(
        "zh_CN", "division:division:updated", "division", "522799101212", {"households": 500}, {"households": 520}
    )
    assert division.text == "王镇长（乡镇） 修改了行政区划 花河村：把户数从 500 改为 520"
    kin = {"member_a": 57, "member_b": 58, "kind": "sibling", "note": None}
    assert say("zh_CN", "registry:kin:declared", "member", 57, None, kin).text == (
        "王镇长（乡镇） 登记 张小军 与 张建国 的亲属关系（兄弟姐妹）"
    )
    official = {"member_id": 58, "post": "11", "term_start": "2021-01-10", "term_end": None}
    assert say("en", "registry:official:appointed", "official", 2, None, official).text == (
        f"{WANG} appointed 张建国 as village party secretary from 2021-01-10"
    )
    exported = say("zh_CN", "core:list:exported", "households", None, None, {"filters": {}, "unmasked": False})
    assert exported.text == "王镇长（乡镇） 导出了列表“农户台账”"
    revealed = say("en", "core:person:unmasked", "member", 57, None, {"field": "id_number"}, reason="核对")
    assert revealed.text == f"{WANG} revealed the ID number of 张小军" and revealed.reason == "核对"
    # A reading changed nothing: a sentence, no before/after table ("号码 | （空） | 联系电话").
    assert exported.changes == [] and revealed.changes == []
    phone = say("zh_CN", "core:person:unmasked", "household", 7, None, {"field": "phone"}, reason="回访")
    assert phone.changes == [] and "的联系电话" in phone.text and phone.reason == "回访"


def test_an_unknown_tag_or_field_still_reads():
    told = say("en", "elsewhere:thing:done", "thing", 9, {"some_field": 1}, {"some_field": 2})
    assert "thing #9" in told.text and "some field from 1 to 2" in told.text


def test_the_names_a_page_needs_are_gathered_once_per_kind():
    rows = [
        ("member", 57, 10, None, {"household_id": 7, "relation": "41"}),
        ("cadre", 4, 11, {"unit_id": 3}, {"unit_id": 5, "posting": {"village_code": "522799101212"}}),
        ("user", 12, None, None, {"grants": [["helper", "522799101212", None]]}),
    ]
    assert present.wanted(rows) == {
        "member": {"57"},
        "member_household": {"57"},
        "user": {"10", "11", "12"},
        "household": {"7"},
        "cadre": {"4"},
        "unit": {"3", "5"},
        "division": {"522799101212"},
    }
