"""Synthetic cadre files: cadres of plausible ages, party and work dates, sent by one unit
to the given places, with valid ID numbers; deterministic by seed. No real person is in them."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence

from zhucun.core.imports.sample import ETHNIC, People, write_csv, write_xlsx
from zhucun.selection.cadres.import_fields import CADRE_FIELDS

CADRE_HEADERS = [f.header for f in CADRE_FIELDS]
__all__ = ["CADRE_HEADERS", "cadres", "write_csv", "write_xlsx"]


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
