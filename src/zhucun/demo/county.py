"""A fictional but realistic county: 青岚县 (522799) in 黔南州, Guizhou, deterministic by seed.

Codes follow the statistics bureau's structure (streets 0xx, towns 1xx, townships 2xx;
communities 0xx and villages 2xx below them), names are made of common place-name
syllables, locations scatter around the county seat, and the flags follow the shares of
a western ethnic county after 2020: most former poor villages exited, a few key villages.
"""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

PROVINCE = ("520000000000", "贵州省")
PREFECTURE = ("522700000000", "黔南布依族苗族自治州")
COUNTY = ("522799000000", "青岚县")
COUNTY_CENTRE = (26.26, 107.52)

FIRST = "青石龙凤云桃杉枫柳松梅竹岩溪坪坝岭塘田坡湾山水洞桥花金银马牛羊鹿虎鹤茶麻栗桂兰荷"
SECOND = "门井口坪坝寨岭塘田冲湾山溪河沟桥庄场堡林坡洞岩关头脚堰坎屯"
GROUP_NAMES = ("上寨", "下寨", "中寨", "新寨", "老寨", "大寨", "小寨", "坪上", "坡脚", "河边", "岩脚", "沟头")


def _unique_names(rng: random.Random, count: int, suffix: str, taken: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(FIRST) + rng.choice(SECOND) + suffix
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _village(rng: random.Random, code: str, name: str, township: dict[str, Any], *, community: bool) -> dict[str, Any]:
    population = rng.randint(900, 3600) if not community else rng.randint(2000, 6000)
    poor = not community and rng.random() < 0.32
    income = Decimal(0) if rng.random() < 0.08 else Decimal(int(rng.lognormvariate(11.5, 0.8))).quantize(Decimal("1"))
    return {
        "code": code, "name": name, "level": "village", "parent_code": township["code"],
        "urban_rural_code": "121" if community else rng.choice(("210", "220", "220", "220")),
        "latitude": round(township["latitude"] + rng.uniform(-0.07, 0.07), 6),
        "longitude": round(township["longitude"] + rng.uniform(-0.07, 0.07), 6),
        "checkin_radius_m": rng.choice((1000, 1500, 2000, 2500, 3000)),
        "population": population, "households": int(population / rng.uniform(3.2, 4.1)),
        "collective_income": income,
        "is_poor_village": poor, "is_exited": poor, "exited_year": rng.choice((2016, 2017, 2018, 2019, 2020)) if poor else None,
        "is_key_village": not community and rng.random() < (0.35 if poor else 0.06),
        "is_weak_branch": rng.random() < 0.05,
        "is_relocation_site": community and rng.random() < 0.5,
        "is_ethnic_area": True, "is_western": True,
    }


def generate(seed: int = 1, *, townships: int = 15, villages_per_township: tuple[int, int] = (10, 17)
             ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Divisions (province to village) and village groups of the demo county."""
    rng = random.Random(seed)
    base = {"is_ethnic_area": True, "is_western": True}
    rows: list[dict[str, Any]] = [
        {"code": PROVINCE[0], "name": PROVINCE[1], "level": "province", "parent_code": None, "is_western": True},
        {"code": PREFECTURE[0], "name": PREFECTURE[1], "level": "prefecture", "parent_code": PROVINCE[0], **base},
        {"code": COUNTY[0], "name": COUNTY[1], "level": "county", "parent_code": PREFECTURE[0], **base,
         "latitude": COUNTY_CENTRE[0], "longitude": COUNTY_CENTRE[1]},
    ]
    groups: list[dict[str, Any]] = []
    taken: set[str] = set()
    kinds = ["street"] + ["town"] * (townships - 4) + ["township"] * 3
    numbers = {"street": iter(range(1, 10)), "town": iter(range(101, 200)), "township": iter(range(201, 300))}
    suffixes = {"street": "街道", "town": "镇", "township": "乡"}
    for kind in kinds:
        name = _unique_names(rng, 1, suffixes[kind], taken)[0]
        township = {"code": f"522799{next(numbers[kind]):03d}000", "name": name, "level": "township",
                    "parent_code": COUNTY[0], **base,
                    "latitude": round(COUNTY_CENTRE[0] + rng.uniform(-0.3, 0.3), 6),
                    "longitude": round(COUNTY_CENTRE[1] + rng.uniform(-0.3, 0.3), 6)}
        rows.append(township)
        communities = rng.randint(2, 4) if kind == "street" else rng.randint(0, 1)
        villages = 0 if kind == "street" else rng.randint(*villages_per_township)
        prefix = township["code"][:9]
        for i, name in enumerate(_unique_names(rng, communities, "社区", taken), start=1):
            rows.append(_village(rng, f"{prefix}{i:03d}", name, township, community=True))
        for i, name in enumerate(_unique_names(rng, villages, "村", taken), start=201):
            village = _village(rng, f"{prefix}{i:03d}", name, township, community=False)
            rows.append(village)
            for number, group in enumerate(rng.sample(GROUP_NAMES, rng.randint(4, 10)), start=1):
                groups.append({"village_code": village["code"], "number": number, "name": f"{group}组",
                               "households": max(5, village["households"] // 8 + rng.randint(-10, 10))})
    return rows, groups
