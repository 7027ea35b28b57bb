"""Synthetic member files of realistic households, for tests, benchmarks and demonstrations:
heads, spouses, children and parents of plausible ages, valid ID numbers of the village's
county whose birth date and gender agree with the other columns, coded fields written as
clerks write them (mostly Chinese labels), deterministic by seed. No real person is in them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence

from zhucun.core.imports.sample import ETHNIC, People, write_csv, write_xlsx
from zhucun.registry.import_kind.fields import MEMBER_FIELDS

CAUSES = ["因病", "因残", "因学", "缺技术", "缺资金", "缺劳力", "交通条件落后", "自身发展动力不足"]
MEMBER_HEADERS = [f.header for f in MEMBER_FIELDS]
__all__ = ["MEMBER_HEADERS", "members", "write_csv", "write_xlsx"]


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
