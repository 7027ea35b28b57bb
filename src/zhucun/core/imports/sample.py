"""Synthetic import files of realistic households, for tests, benchmarks and demonstrations:
heads, spouses, children and parents of plausible ages, valid ID numbers of the village's
county whose birth date and gender agree with the other columns, coded fields written as
clerks write them (mostly Chinese labels), deterministic by seed. No real person is in them."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from zhucun.core.idnumbers import check_char
from zhucun.core.imports.columns import CADRE_FIELDS, MEMBER_FIELDS

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志文红玉梅春林云海燕德福顺发贵珍凤琴荣成永祥生才兴"
ETHNIC = ["汉族"] * 6 + ["苗族", "布依族", "侗族", "水族"]
CAUSES = ["因病", "因残", "因学", "缺技术", "缺资金", "缺劳力", "交通条件落后", "自身发展动力不足"]
MEMBER_HEADERS = [f.header for f in MEMBER_FIELDS]
CADRE_HEADERS = [f.header for f in CADRE_FIELDS]


class People:
    """Valid, distinct ID numbers: the order code's parity marks the gender (odd: male)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[tuple[str, str], int] = {}

    def id_number(self, region: str, born: dt.date, male: bool) -> str:
        key = (region, born.strftime("%Y%m%d"))
        count = self.used.get(key, 0)
        self.used[key] = count + 1
        order = (count * 2 + (1 if male else 0)) % 1000
        body = region + key[1] + f"{order:03d}"
        return body + check_char(body)

    def name(self) -> str:
        given = "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def born(self, age: int, today: dt.date) -> dt.date:
        return today - dt.timedelta(days=age * 365 + self.rng.randrange(365))


def members(
    villages: Sequence[str], count: int, *, seed: int = 1, today: dt.date | None = None, start: int = 1
) -> Iterator[list[str]]:
    """``count`` member rows (whole households, the last one cut to fit) over the villages."""
    rng, today = random.Random(seed), today or dt.date(2025, 6, 30)
    people = People(rng)
    made, number = 0, start
    while made < count:
        village = villages[number % len(villages)]
        household = _household(rng, people, village, f"{village}{number:05d}", today)
        yield from household[: count - made]
        made += len(household)
        number += 1


def _household(rng: random.Random, people: People, village: str, number: str, today: dt.date) -> list[list[str]]:
    size = rng.choices((1, 2, 3, 4, 5, 6), weights=(8, 18, 24, 26, 16, 8))[0]
    head_age = rng.randint(28, 78)
    male = rng.random() < 0.85
    shared = _household_columns(rng, village, number)
    rows = [_member(rng, people, village, "户主", head_age, male, today, shared)]
    if size >= 2:
        rows.append(
            _member(rng, people, village, "配偶", max(20, head_age + rng.randint(-5, 3)), not male, today, shared)
        )
    for _ in range(size - len(rows) - (1 if size >= 5 else 0)):
        son = rng.random() < 0.52
        age = max(0, head_age - rng.randint(20, 34))
        rows.append(_member(rng, people, village, "子" if son else "女", age, son, today, shared))
    if size >= 5 and head_age < 60:
        mother = rng.random() < 0.6
        rows.append(
            _member(
                rng,
                people,
                village,
                "母亲" if mother else "父亲",
                head_age + rng.randint(22, 30),
                not mother,
                today,
                shared,
            )
        )
    return rows


def _household_columns(rng: random.Random, village: str, number: str) -> dict[str, str]:
    registered = rng.randint(2014, 2019)
    exited = rng.random() < 0.9
    causes = rng.sample(CAUSES, 3)
    return {
        "户编号": number,
        "行政区划代码": village,
        "村民小组": f"{rng.randint(1, 8)}组",
        "户类型": rng.choices(("一般户", "低保户", "特困供养户"), weights=(80, 17, 3))[0],
        "户状态": "已脱贫享受政策" if exited else "未脱贫",
        "主要致贫原因": causes[0],
        "其他致贫原因": "、".join(causes[1 : rng.randint(1, 3)]),
        "住址": f"{village[:6]}县{village[-3:]}村{rng.randint(1, 99)}号",
        "开户银行账号": "6222" + "".join(rng.choices("0123456789", k=15)) if rng.random() < 0.9 else "",
        "识别年度": str(registered),
        "脱贫年度": str(rng.randint(max(registered, 2016), 2020)) if exited else "",
        "住房安全有保障": "是",
        "饮水安全有保障": rng.choice(("是", "是", "是", "否")),
        "耕地面积（亩）": f"{rng.uniform(0, 8):.2f}",
        "林地面积（亩）": f"{rng.uniform(0, 20):.1f}",
        "年度": "2024",
        "工资性收入": str(rng.randint(0, 60) * 500),
        "生产经营性收入": str(rng.randint(0, 30) * 300),
        "财产性收入": str(rng.randint(0, 5) * 100),
        "转移性收入": f"{rng.uniform(0, 6000):.2f}",
        "生产经营性支出": str(rng.randint(0, 20) * 200),
    }


def _member(
    rng: random.Random,
    people: People,
    village: str,
    relation: str,
    age: int,
    male: bool,
    today: dt.date,
    shared: dict[str, str],
) -> list[str]:
    born = people.born(age, today)
    adult = 16 <= age < 65
    disabled = rng.random() < 0.04
    cells: dict[str, str] = {
        **shared,
        "姓名": people.name(),
        "证件号码": people.id_number(village[:6], born, male),
        "与户主关系": relation,
        "性别": "男" if male else "女",
        "出生日期": born.isoformat(),
        "民族": rng.choice(ETHNIC),
        "文化程度": _education(rng, age),
        "在校生状况": _student(age),
        "健康状况": "残疾" if disabled else rng.choices(("健康", "长期慢性病", "患有大病"), weights=(85, 12, 3))[0],
        "残疾类别": rng.choice(("肢体残疾", "视力残疾", "智力残疾")) if disabled else "无残疾",
        "残疾等级": rng.choice(("二级", "三级", "四级")) if disabled else "",
        "劳动技能": "普通劳动力" if adult else ("无劳动力" if age < 16 else "弱劳动力或半劳动力"),
        "务工时间（月）": str(rng.randint(0, 12)) if adult else "0",
        "是否参加城乡居民基本医疗保险": "是",
        "是否参加城乡居民基本养老保险": "是" if age >= 16 else "否",
        "联系电话": "1" + rng.choice("3578") + "".join(rng.choices("0123456789", k=9))
        if adult and rng.random() < 0.6
        else "",
    }
    return [cells.get(header, "") for header in MEMBER_HEADERS]


def _education(rng: random.Random, age: int) -> str:
    if age < 6:
        return "学龄前儿童"
    return rng.choices(("文盲或半文盲", "小学", "初中", "高中", "中专", "大专"), weights=(8, 30, 40, 12, 6, 4))[0]


def _student(age: int) -> str:
    if not 6 <= age <= 18:
        return "非在校生"
    return "小学" if age < 12 else ("初中" if age < 15 else "高中")


def cadres(
    places: Sequence[str], unit: str, count: int, *, seed: int = 1, today: dt.date | None = None
) -> Iterator[list[str]]:
    """``count`` cadre rows serving in the given places, sent by ``unit`` (its number or name)."""
    rng, today = random.Random(seed), today or dt.date(2025, 6, 30)
    people = People(rng)
    for i in range(count):
        age, male = rng.randint(26, 55), rng.random() < 0.7
        born = people.born(age, today)
        party = rng.random() < 0.85
        cells = {
            "姓名": people.name(),
            "身份证号码": people.id_number("520102", born, male),
            "性别": "男" if male else "女",
            "出生日期": born.isoformat(),
            "民族": rng.choice(ETHNIC),
            "联系电话": "139" + f"{rng.randrange(10**8):08d}",
            "学历": rng.choice(("研究生", "大学本科", "大学本科", "大学专科")),
            "专业": rng.choice(("农学", "法学", "经济学")),
            "技能特长": "农业技术推广",
            "是否中共党员": "是" if party else "否",
            "入党时间": dt.date(today.year - age + 24, 7, 1).isoformat() if party else "",
            "参加工作时间": dt.date(today.year - age + 23, 8, 1).isoformat(),
            "职级": rng.choice(("科员", "乡科级副职")),
            "职务": "科员",
            "派出单位": unit,
            "籍贯区划代码": "",
            "健康状况": "健康",
            "服务地区划代码": places[i % len(places)],
        }
        yield [cells.get(header, "") for header in CADRE_HEADERS]


def write_csv(path: Path, headers: list[str], rows: Iterator[list[str]], *, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, headers: list[str], rows: Iterator[list[Any]]) -> Path:
    """Every cell as text, as a template formatted as text keeps it (constant memory)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, headers)
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if value != "":
                sheet.write_string(number, column, value)
    book.close()
    return path


def prepare_database(url: str) -> list[str]:
    """Migrate a fresh database and load the demo county's divisions and a unit (no accounts,
    so it is quick), for tests and benchmarks; returns its villages."""
    from sqlalchemy import insert

    from zhucun.accounts.units.models import Unit
    from zhucun.core.db import Database
    from zhucun.core.migrate import upgrade
    from zhucun.demo import county
    from zhucun.divisions.models import Division, VillageGroup

    upgrade(url)
    rows, groups = county.generate(1)
    flags = dict.fromkeys(
        (
            "is_poor_village",
            "is_exited",
            "is_key_village",
            "is_weak_branch",
            "is_relocation_site",
            "is_ethnic_area",
            "is_western",
        ),
        False,
    )
    db = Database(url)
    try:
        with db.begin() as session:
            session.execute(insert(Division), [{**flags, **row} for row in rows])
            session.execute(insert(VillageGroup), groups)
            session.execute(
                insert(Unit).values(
                    name="省交通运输厅", level="provincial", kind="government", division_code=county.COUNTY[0]
                )
            )
    finally:
        db.dispose()
    return [row["code"] for row in rows if row["level"] == "village"]
