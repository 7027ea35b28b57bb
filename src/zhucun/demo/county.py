"""A fictional but realistic county: 青岚县 (522799) in 黔南州, Guizhou, deterministic by seed;
and, for larger demos, any county with a given number of villages.

Codes follow the statistics bureau's structure (streets 0xx, towns 1xx, townships 2xx;
communities 0xx and villages 2xx below them), names are made of common place-name
syllables, locations scatter around the county seat, and the flags follow the shares of
a western ethnic county after 2020: most former poor villages exited, a few key villages.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .geography import CountySpec

PROVINCE = ("520000000000", "贵州省")
PREFECTURE = ("522700000000", "黔南布依族苗族自治州")
COUNTY = ("522799000000", "青岚县")
COUNTY_CENTRE = (26.26, 107.52)

FIRST = "青石龙凤云桃杉枫柳松梅竹岩溪坪坝岭塘田坡湾山水洞桥花金银马牛羊鹿虎鹤茶麻栗桂兰荷"
SECOND = "门井口坪坝寨岭塘田冲湾山溪河沟桥庄场堡林坡洞岩关头脚堰坎屯"
GROUP_NAMES = ("上寨", "下寨", "中寨", "新寨", "老寨", "大寨", "小寨", "坪上", "坡脚", "河边", "岩脚", "沟头")
SUFFIXES = {"street": "街道", "town": "镇", "township": "乡"}
# Villages per township in a county laid out to a size.
VILLAGES_PER_TOWNSHIP = 13

Rows = list[dict[str, Any]]


def _unique_names(rng: random.Random, count: int, suffix: str, taken: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(FIRST) + rng.choice(SECOND) + suffix
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _village(
    rng: random.Random, code: str, name: str, township: dict[str, Any], *, community: bool, flags: dict[str, bool]
) -> dict[str, Any]:
    population = rng.randint(900, 3600) if not community else rng.randint(2000, 6000)
    poor = not community and rng.random() < 0.32
    income = Decimal(0) if rng.random() < 0.08 else Decimal(int(rng.lognormvariate(11.5, 0.8))).quantize(Decimal("1"))
    return {
        "code": code,
        "name": name,
        "level": "village",
        "parent_code": township["code"],
        "urban_rural_code": "121" if community else rng.choice(("210", "220", "220", "220")),
        "latitude": round(township["latitude"] + rng.uniform(-0.07, 0.07), 6),
        "longitude": round(township["longitude"] + rng.uniform(-0.07, 0.07), 6),
        "checkin_radius_m": rng.choice((1000, 1500, 2000, 2500, 3000)),
        "population": population,
        "households": int(population / rng.uniform(3.2, 4.1)),
        "collective_income": income,
        "is_poor_village": poor,
        "is_exited": poor,
        "exited_year": rng.choice((2016, 2017, 2018, 2019, 2020)) if poor else None,
        "is_key_village": not community and rng.random() < (0.35 if poor else 0.06),
        "is_weak_branch": rng.random() < 0.05,
        "is_relocation_site": community and rng.random() < 0.5,
        **flags,
    }


def generate(
    seed: int = 1, *, townships: int = 15, villages_per_township: tuple[int, int] = (10, 17)
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Divisions (province to village) and village groups of the demo county."""
    rng = random.Random(seed)
    kinds = ["street"] + ["town"] * (townships - 4) + ["township"] * 3

    def sizes(kind: str, _index: int) -> tuple[int, int]:
        communities = rng.randint(2, 4) if kind == "street" else rng.randint(0, 1)
        return communities, 0 if kind == "street" else rng.randint(*villages_per_township)

    flags = {"is_ethnic_area": True, "is_western": True}
    return _build(
        rng,
        COUNTY[0],
        COUNTY[1],
        COUNTY_CENTRE,
        flags,
        kinds,
        sizes,
        [(PROVINCE, None, {"is_western": True}), (PREFECTURE, PROVINCE[0], flags)],
    )


def county_divisions(spec: CountySpec, seed: int) -> tuple[Rows, Rows]:
    """The divisions and groups of one county of a plan (the demo county's own layout
    when the plan gives it no size)."""
    if spec.villages is None:
        return generate(seed)
    rng = random.Random(f"{seed}:{spec.code}")
    kinds, counts = layout(rng, spec.villages)
    flags = {"is_ethnic_area": spec.ethnic, "is_western": spec.western}
    return _build(
        rng,
        spec.code,
        spec.name,
        spec.centre,
        flags,
        kinds,
        lambda _kind, i: counts[i],
        [(spec.province, None, {"is_western": spec.western}), (spec.prefecture, spec.province[0], flags)],
    )


def layout(rng: random.Random, villages: int) -> tuple[list[str], list[tuple[int, int]]]:
    """Kinds of townships and (communities, villages) in each, adding up to ``villages``."""
    count = max(1, round(villages / VILLAGES_PER_TOWNSHIP))
    kinds = ["street"] + ["town"] * (count - 4) + ["township"] * 3 if count >= 4 else ["town"] * count
    # About one village-level unit in twenty is an urban community, most of them in the street.
    communities = round(villages * 0.05) if villages >= 20 else 0
    rural = [i for i, kind in enumerate(kinds) if kind != "street"]
    weights = [rng.uniform(0.7, 1.3) for _ in rural]
    shares = [int((villages - communities) * w / sum(weights)) for w in weights]
    for i in range(villages - communities - sum(shares)):
        shares[i % len(shares)] += 1
    counts = [[0, 0] for _ in kinds]
    for i, share in zip(rural, shares):
        counts[i][1] = share
    for i in range(communities):
        counts[0 if kinds[0] == "street" and i < 4 else rural[i % len(rural)]][0] += 1
    return kinds, [(c, v) for c, v in counts]


def _build(
    rng: random.Random,
    code: str,
    name: str,
    centre: tuple[float, float],
    flags: dict[str, bool],
    kinds: list[str],
    sizes: Callable[[str, int], tuple[int, int]],
    above: list[tuple[tuple[str, str], str | None, dict[str, bool]]],
) -> tuple[Rows, Rows]:
    levels = ("province", "prefecture")
    rows: Rows = [
        {"code": c, "name": n, "level": level, "parent_code": parent, **extra}
        for level, ((c, n), parent, extra) in zip(levels, above)
    ]
    rows.append(
        {
            "code": code,
            "name": name,
            "level": "county",
            "parent_code": above[1][0][0],
            **flags,
            "latitude": centre[0],
            "longitude": centre[1],
        }
    )
    groups: Rows = []
    taken: set[str] = set()
    numbers = {"street": iter(range(1, 100)), "town": iter(range(101, 200)), "township": iter(range(201, 300))}
    for index, kind in enumerate(kinds):
        township_name = _unique_names(rng, 1, SUFFIXES[kind], taken)[0]
        township = {
            "code": f"{code[:6]}{next(numbers[kind]):03d}000",
            "name": township_name,
            "level": "township",
            "parent_code": code,
            **flags,
            "latitude": round(centre[0] + rng.uniform(-0.3, 0.3), 6),
            "longitude": round(centre[1] + rng.uniform(-0.3, 0.3), 6),
        }
        rows.append(township)
        communities, villages = sizes(kind, index)
        prefix = township["code"][:9]
        for i, village_name in enumerate(_unique_names(rng, communities, "社区", taken), start=1):
            rows.append(_village(rng, f"{prefix}{i:03d}", village_name, township, community=True, flags=flags))
        for i, village_name in enumerate(_unique_names(rng, villages, "村", taken), start=201):
            village = _village(rng, f"{prefix}{i:03d}", village_name, township, community=False, flags=flags)
            rows.append(village)
            for number, group in enumerate(rng.sample(GROUP_NAMES, rng.randint(4, 10)), start=1):
                groups.append(
                    {
                        "village_code": village["code"],
                        "number": number,
                        "name": f"{group}组",
                        "households": max(5, village["households"] // 8 + rng.randint(-10, 10)),
                    }
                )
    rural = [r for r in rows if r["level"] == "village" and r["urban_rural_code"] != "121"]
    if rural and not any(r["is_key_village"] for r in rural):
        # Every county has a key village, where the demo's first secretary works.
        rural[0]["is_key_village"] = True
    return rows, groups
