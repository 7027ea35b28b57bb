"""Importing a division code table through the service, the API and the CLI.

An import is all or nothing: a bad file gets every error located (spreadsheet row, column
letter) and translated, HTTP 422 or exit code 1, and leaves the divisions and the audit trail
as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories.cli import count_rows, scalar
from zhucun.core.audit import AuditEntry
from zhucun.core.auth import Principal
from zhucun.core.errors import Rejected
from zhucun.core.i18n import use_locale
from zhucun.divisions import service
from zhucun.divisions.models import Division, VillageGroup

DATA = Path(__file__).parent / "data"
NBS_BALINZUOQI = DATA / "nbs_150422_balinzuoqi.csv"
NBS_FURONG = DATA / "nbs_430102_furong.csv"
# Codes of the demo county (seed 1), which both the test world and the CLI database hold.
TOWNSHIP = "522799101000"  # 金堰镇
VILLAGE = "522799101201"  # 田坪村, in 金堰镇
NEW_VILLAGE = "522799101299"  # free: the demo numbers villages from 201 to 217
B_VILLAGE = "522798101201"  # in county B
VALID = ("统计用区划代码,名称,村民小组", "522799150000,新建镇,", "522799150201,新建村,一组;二组")


def table(*lines: str, encoding: str = "utf-8", separator: str = ",") -> bytes:
    return "\r\n".join(line.replace(",", separator) for line in lines).encode(encoding)


def counts(session) -> tuple[int, int]:
    """Divisions and audit entries, to show that a refused import wrote nothing."""
    return (
        session.scalar(select(func.count()).select_from(Division)),
        session.scalar(select(func.count()).select_from(AuditEntry)),
    )


def post(
    client,
    data: bytes,
    *,
    update: bool = False,
    dry_run: bool = False,
    lang: str | None = None,
    filename: str = "table.csv",
):
    headers = {"Accept-Language": lang} if lang else {}
    return client.post(
        "/api/v1/divisions/import",
        files={"file": (filename, data, "text/csv")},
        data={"update": str(update).lower(), "dry_run": str(dry_run).lower()},
        headers=headers,
    )


# --- files that import ---------------------------------------------------------------------------

VARIANTS = [("utf-8", ","), ("utf-8-sig", ","), ("gbk", ","), ("utf-8", "\t"), ("utf-16", "\t")]
ENCODINGS = pytest.mark.parametrize(
    ("encoding", "separator"), VARIANTS, ids=["utf-8", "utf-8 with BOM", "gbk", "tab-separated", "excel unicode text"]
)


@ENCODINGS
def test_a_valid_table_imports_in_every_encoding(session, encoding, separator):
    before = counts(session)
    result = service.import_divisions(
        session, actor=Principal.system(), filename="t.csv", data=table(*VALID, encoding=encoding, separator=separator)
    )
    assert (result.inserted, result.updated, result.groups) == (2, 0, 2)
    town, village = session.get(Division, "522799150000"), session.get(Division, "522799150201")
    assert (town.name, town.level, town.parent_code) == ("新建镇", "township", "522799000000")
    assert (village.name, village.level, village.parent_code) == ("新建村", "village", "522799150000")
    groups = session.scalars(
        select(VillageGroup.name).where(VillageGroup.village_code == village.code).order_by(VillageGroup.number)
    ).all()
    assert groups == ["一组", "二组"]
    assert counts(session) == (before[0] + 2, before[1] + 1)


@ENCODINGS
def test_the_api_imports_a_valid_table_in_every_encoding(api, session, encoding, separator):
    admin = api("admin")
    before = counts(session)
    response = post(admin, table(*VALID, encoding=encoding, separator=separator))
    assert response.status_code == 200, response.text
    assert (response.json()["inserted"], response.json()["groups"]) == (2, 2)
    assert admin.get("/api/v1/divisions/522799150201").json()["groups"][1]["name"] == "二组"
    assert counts(session) == (before[0] + 2, before[1] + 1)


def test_an_import_records_one_audit_entry_in_the_county_chain(session):
    data = table(*VALID)
    result = service.import_divisions(session, actor=Principal.system(), data=data, filename="新建.csv")
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.seq.desc())).first()
    assert (entry.action, entry.entity, entry.county_code) == ("division:table:imported", "division_table", "522799")
    assert entry.after == {"file": "新建.csv", "sha256": result.sha256, "inserted": 2, "updated": 0, "groups": 2}


@pytest.mark.parametrize("path", [NBS_BALINZUOQI, NBS_FURONG], ids=["巴林左旗", "芙蓉区"])
def test_a_statistics_bureau_table_imports_as_published(api, session, path):
    admin = api("admin")  # logging in writes an audit entry of its own
    before = counts(session)
    response = post(admin, path.read_bytes(), filename=path.name)
    assert response.status_code == 200, response.text
    rows = path.read_bytes().decode("gbk").splitlines()[1:]
    assert response.json()["inserted"] == len(rows)
    stored = {d.code: d for d in session.scalars(select(Division).where(Division.code.in_([r[:12] for r in rows])))}
    assert {code: d.name for code, d in stored.items()} == {r[:12]: r.split(",")[2] for r in rows}
    assert counts(session) == (before[0] + len(rows), before[1] + 1)
    if path == NBS_BALINZUOQI:
        expected = {
            "150000000000": ("province", None, None),
            "150400000000": ("prefecture", "150000000000", None),
            "150422000000": ("county", "150400000000", None),
            "150422103000": ("township", "150422000000", None),
            "150422103209": ("village", "150422103000", "220"),
            "150422201000": ("township", "150422000000", None),  # 乌兰达坝苏木
            "150422404000": ("township", "150422000000", None),  # 林东东城街道, a 4xx code
        }
    else:
        expected = {
            "430102000000": ("county", "430100000000", None),
            "430102001000": ("township", "430102000000", None),  # 文艺路街道
            "430102400000": ("township", "430102000000", None),  # 隆平高科技园
        }
    assert {c: (stored[c].level, stored[c].parent_code, stored[c].urban_rural_code) for c in expected} == expected


def test_the_national_table_browses_as_a_tree_after_import(api):
    admin = api("admin")
    assert post(admin, NBS_BALINZUOQI.read_bytes()).status_code == 200
    towns = admin.get("/api/v1/divisions", params={"parent": "150422000000", "limit": 100}).json()["items"]
    assert len(towns) == 13 and {t["level"] for t in towns} == {"township"}
    villages = admin.get("/api/v1/divisions", params={"parent": "150422100000"}).json()["items"]
    assert [(v["code"], v["name"]) for v in villages] == [("150422100201", "福山地村"), ("150422100202", "大新庄村")]


def test_the_update_option_changes_stored_divisions(api, session):
    admin = api("admin")
    data = table("code,name,人口,村集体收入(元),重点帮扶村", f'{VILLAGE},田坪村（新）,1700,"52,000.5",是')
    assert post(admin, data).status_code == 422
    before = counts(session)
    response = post(admin, data, update=True)
    assert response.status_code == 200, response.text
    assert (response.json()["inserted"], response.json()["updated"]) == (0, 1)
    session.expire_all()
    village = session.get(Division, VILLAGE)
    assert (village.name, village.population, village.collective_income, village.is_key_village) == (
        "田坪村（新）",
        1700,
        Decimal("52000.50"),
        True,
    )
    assert (village.parent_code, village.latitude) == (TOWNSHIP, 26.501217)  # columns not in the file stay
    assert counts(session) == (before[0], before[1] + 1)


def test_updating_village_groups_replaces_them(api, session):
    admin = api("admin")
    response = post(admin, table("code,name,村民小组", f"{VILLAGE},田坪村,上组、下组"), update=True)
    assert (response.status_code, response.json()["groups"]) == (200, 2)
    detail = admin.get(f"/api/v1/divisions/{VILLAGE}").json()
    assert [(g["number"], g["name"]) for g in detail["groups"]] == [(1, "上组"), (2, "下组")]


def test_a_dry_run_checks_and_writes_nothing(api, session):
    admin = api("admin")
    before = counts(session)
    response = post(admin, NBS_BALINZUOQI.read_bytes(), dry_run=True)
    assert response.status_code == 200
    assert response.json()["dry_run"] is True and response.json()["inserted"] == 25
    assert counts(session) == before
    assert session.get(Division, "150422000000") is None


# --- files that are refused ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bad:
    lines: tuple[str, ...]
    where: tuple[int, str | None, str]  # row, column, error code of the (first) error
    zh: str
    en: str
    data: bytes | None = None

    def bytes(self) -> bytes:
        return self.data if self.data is not None else table(*self.lines)


BAD = {
    "wrong division code": Bad(
        ("code,name", "5227991012X9,新村"),
        (2, "A", "bad_code"),
        "区划代码须为 12 位数字，“5227991012X9”不符合",
        "must have exactly 12 digits",
    ),
    "zero segment": Bad(("code,name", "522700000001,新村"), (2, "A", "bad_code"), "某一段为全零", "zero segment"),
    "code not extending its parent": Bad(
        ("code,name,parent_code", f"{NEW_VILLAGE},新村,522799102000"),
        (2, "A", "not_extending"),
        "与上级代码 522799102000 不一致",
        "does not extend its parent's code 522799102000",
    ),
    "unknown parent": Bad(
        ("code,name,parent_code", "522799199201,新村,522799199000"),
        (2, "C", "unknown_parent"),
        "上级区划 522799199000 既不在文件中，也不在系统中",
        "neither in the file nor in the system",
    ),
    "missing parent": Bad(
        ("code,name", "522799199201,新村"),
        (2, "A", "unknown_parent"),
        "没有 522799199201 的上级区划（应为 522799199000）",
        "expected 522799199000",
    ),
    "duplicate code in the file": Bad(
        ("code,name", f"{NEW_VILLAGE},新村", "522799101298,新村", f"{NEW_VILLAGE},新村"),
        (4, "A", "duplicate_code"),
        "重复出现（首次出现在第 2 行）",
        "appears twice (first in row 2)",
    ),
    "code already stored": Bad(
        ("code,name", f"{VILLAGE},田坪村"),
        (2, "A", "duplicate_code"),
        f"区划 {VILLAGE} 已存在",
        "already exists; import with the update option",
    ),
    "unbalanced quote": Bad(
        ("code,name", "522799101298,新村", f'{NEW_VILLAGE},"新村', "522799101297,新村"),
        (3, None, "bad_csv"),
        "此行不是有效的 CSV",
        "This row is not valid CSV",
    ),
    "bad number": Bad(
        ("code,name,人口", f"{NEW_VILLAGE},新村,三千"),
        (2, "C", "bad_value"),
        "须为不小于 0 的整数",
        "Must be a whole number of at least 0.",
    ),
    "bad amount": Bad(
        ("code,name,村集体收入(元)", f"{NEW_VILLAGE},新村,五万"), (2, "C", "bad_value"), "金额", "amount in yuan"
    ),
    "bad flag": Bad(
        ("code,name,parent_code,贫困村", f"{NEW_VILLAGE},新村,{TOWNSHIP},也许"),
        (2, "D", "bad_flag"),
        "须填写“是”或“否”",
        "Must be 是 or 否",
    ),
    "latitude without longitude": Bad(
        ("code,name,纬度,经度", f"{NEW_VILLAGE},新村,26.5,"),
        (2, "D", "incomplete_location"),
        "纬度和经度须同时填写",
        "give both or neither",
    ),
    "unknown column": Bad(
        ("code,name,备注", f"{NEW_VILLAGE},新村,x"),
        (1, "C", "unknown_column"),
        "无法识别的列“备注”",
        "Unknown column “备注”",
    ),
    "missing column": Bad(
        ("code", NEW_VILLAGE), (1, None, "missing_column"), "缺少必填列“名称”", "The required column “名称” is missing"
    ),
    "duplicated column": Bad(
        ("code,name,名称", f"{NEW_VILLAGE},新村,新村"),
        (1, "C", "duplicate_column"),
        "列“名称”重复出现",
        "The column “名称” appears twice",
    ),
    "header only": Bad(
        ("code,name",), (2, None, "empty_table"), "文件表头以下没有任何区划数据", "holds no divisions below its header"
    ),
    "not text": Bad(
        (),
        (1, None, "bad_encoding"),
        "既不是 UTF-8 也不是 GBK",
        "neither UTF-8 nor GBK",
        data=b"code,name\n\x81\x30\x81,\xff\xfe",
    ),
}


def _location(row: int, column: str | None, lang: str) -> str:
    if lang == "zh_CN":
        return f"第 {row} 行" + (f", 第 {column} 列" if column else "")
    return f"row {row}" + (f", column {column}" if column else "")


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_the_service_rejects_a_bad_table_with_located_errors(session, case):
    before = counts(session)
    with pytest.raises(Rejected) as caught:
        service.import_divisions(session, actor=Principal.system(), data=case.bytes())
    first = caught.value.errors[0]
    assert (first.row, first.column, first.code) == case.where
    with use_locale("zh_CN"):
        assert case.zh in first.message
    with use_locale("en"):
        assert case.en in first.message
    assert counts(session) == before


@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_the_api_answers_422_with_located_translated_errors(api, session, case):
    admin = api("admin")
    before = counts(session)
    for lang, summary, fragment in (
        (None, "发现 {n} 处错误，未保存任何数据。", case.zh),
        ("en", "{n} error(s) found; nothing was saved.", case.en),
    ):
        response = post(admin, case.bytes(), lang=lang)
        assert response.status_code == 422, response.text
        body = response.json()
        assert (body["code"], body["message"]) == ("rejected", summary.format(n=len(body["errors"])))
        first = body["errors"][0]
        assert (first["row"], first.get("column"), first["code"]) == case.where
        assert fragment in first["message"]
    assert counts(session) == before


def test_every_error_of_a_file_is_reported_at_once(api):
    lines = ("code,name,人口,贫困村", f"{NEW_VILLAGE},新村,多,", "522799101298,,10,也许", "5227991012,新村,,")
    body = post(api("admin"), table(*lines)).json()
    assert [(e["row"], e.get("column"), e["code"]) for e in body["errors"]] == [
        (2, "C", "bad_value"),
        (3, "B", "missing"),
        (3, "D", "bad_flag"),
        (4, "A", "bad_code"),
    ]


def test_a_rejected_import_does_not_pass_silently_on_a_second_try(api, session):
    # The refused file left no half-written rows behind that would now be duplicates.
    admin = api("admin")
    good, bad = f"{NEW_VILLAGE},新村", "5227991012X9,坏"
    assert post(admin, table("code,name", good, bad)).status_code == 422
    assert session.get(Division, NEW_VILLAGE) is None
    response = post(admin, table("code,name", good))
    assert (response.status_code, response.json()["inserted"]) == (200, 1)


# --- areas ----------------------------------------------------------------------------------------


def test_a_county_administrator_cannot_import_rows_of_another_county(api, session):
    admin_a = api("admin_a")
    before = counts(session)
    response = post(admin_a, table("code,name", f"{NEW_VILLAGE},新村", f"{B_VILLAGE[:9]}299,白岩新村"))
    assert response.status_code == 422
    assert [(e["row"], e["column"], e["code"]) for e in response.json()["errors"]] == [(3, "A", "out_of_scope")]
    assert response.json()["errors"][0]["message"] == "区划 522798101299 不在您的管辖范围内。"
    assert counts(session) == before


def test_a_county_administrator_cannot_import_the_rows_above_the_county(api, session):
    admin_a = api("admin_a")
    before = counts(session)
    response = post(admin_a, NBS_BALINZUOQI.read_bytes(), lang="en")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {e["code"] for e in errors} == {"out_of_scope"} and errors[0]["row"] == 2
    assert errors[0]["message"] == "The division 150000000000 is outside your area."
    assert counts(session) == before


def test_a_county_administrator_imports_within_the_county(api, session):
    admin_a = api("admin_a")
    response = post(admin_a, table("code,name", f"{NEW_VILLAGE},新村"))
    assert (response.status_code, response.json()["inserted"]) == (200, 1)
    assert session.get(Division, NEW_VILLAGE).parent_code == TOWNSHIP


def test_a_county_administrator_updates_the_county_row_whose_parent_lies_outside(api, session):
    # The county's parent (the prefecture) is outside the county administrator's area but
    # exists: the import must not call it missing.
    response = post(api("admin_a"), table("code,name,纬度,经度", "522799000000,青岚县,26.27,107.53"), update=True)
    assert response.status_code == 200, response.text
    session.expire_all()
    county = session.get(Division, "522799000000")
    assert (county.parent_code, county.latitude, county.longitude) == ("522700000000", 26.27, 107.53)


def test_an_account_without_the_import_permission_is_refused(api, session):
    zzb = api("zzb")
    before = counts(session)
    response = post(zzb, table(*VALID))
    assert response.status_code == 403
    assert counts(session) == before


# --- the command line ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_db(fresh_database, cli) -> str:
    """A committed database holding the demo county, for ``zhucun divisions import``."""
    url = fresh_database("divimport")
    assert cli(url)("demo", "--seed", "1").exit_code == 0
    return url


def cli_counts(url: str) -> tuple[int, int]:
    return count_rows(url, "divisions"), count_rows(url, "audit_entries")


def test_the_cli_imports_a_statistics_bureau_table(cli, demo_db, tmp_path):
    before = cli_counts(demo_db)
    result = cli(demo_db)("divisions", "import", str(NBS_FURONG))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "新增 17 个，更新 0 个，村民小组 0 个。"
    assert cli_counts(demo_db) == (before[0] + 17, before[1] + 1)
    assert count_rows(demo_db, "divisions", "WHERE parent_code = '430102000000'") == 14


@ENCODINGS
def test_the_cli_imports_a_valid_table_in_every_encoding(cli, demo_db, tmp_path, encoding, separator):
    # Each variant adds its own township: the CLI's database keeps what earlier tests imported.
    town = f"5227991{61 + VARIANTS.index((encoding, separator))}000"
    lines = ("统计用区划代码,名称,村民小组", f"{town},新建镇", f"{town[:9]}201,新建村,一组;二组")
    path = tmp_path / "table.csv"
    path.write_bytes(table(*lines, encoding=encoding, separator=separator))
    before = cli_counts(demo_db)
    result = cli(demo_db)("divisions", "import", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "新增 2 个，更新 0 个，村民小组 2 个。"
    assert cli_counts(demo_db) == (before[0] + 2, before[1] + 1)
    assert scalar(demo_db, "SELECT name FROM divisions WHERE code = :c", c=f"{town[:9]}201") == "新建村"


def test_the_cli_dry_run_writes_nothing(cli, demo_db, tmp_path):
    path = tmp_path / "new.csv"
    path.write_bytes(table(*VALID, encoding="gbk"))
    before = cli_counts(demo_db)
    result = cli(demo_db)("divisions", "import", "--dry-run", str(path), lang="en")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "Dry run: nothing was saved. 2 new, 0 updated, 2 village groups."
    assert cli_counts(demo_db) == before


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("case", BAD.values(), ids=BAD.keys())
def test_the_cli_reports_located_translated_errors_and_exits_1(cli, demo_db, tmp_path, case, lang):
    path = tmp_path / "table.csv"
    path.write_bytes(case.bytes())
    before = cli_counts(demo_db)
    result = cli(demo_db)("divisions", "import", str(path), lang=None if lang == "zh_CN" else "en")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "发现 1 处错误，未保存任何数据。" if lang == "zh_CN" else "1 error(s) found; nothing was saved."
    )
    row, column, _code = case.where
    assert lines[1].startswith(_location(row, column, lang) + ": ")
    assert (case.zh if lang == "zh_CN" else case.en) in lines[1]
    assert result.stdout == ""
    assert cli_counts(demo_db) == before


def test_the_cli_follows_lang_when_zhucun_lang_is_unset(cli, demo_db, tmp_path):
    path = tmp_path / "table.csv"
    path.write_bytes(BAD["bad flag"].bytes())
    result = cli(demo_db)("divisions", "import", str(path), env={"LANG": "en_US.UTF-8"})
    assert result.exit_code == 1
    assert "row 2, column D: Must be 是 or 否 (yes or no)." in result.stderr


def test_the_cli_reports_a_missing_file(cli, demo_db, tmp_path):
    result = cli(demo_db)("divisions", "import", str(tmp_path / "nowhere.csv"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"找不到文件：{tmp_path / 'nowhere.csv'}"
