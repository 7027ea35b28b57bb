"""Where the demo's counties lie: the demo county first, then as many more as a size asks
for, under the real province prefixes of GB/T 2260 in the provinces that had poor counties.

Extra counties sit in prefectures numbered 71 and up, which GB/T 2260 leaves unused, so a
generated code never names a real place under a made-up name.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .county import COUNTY, COUNTY_CENTRE, PREFECTURE, PROVINCE

VILLAGES_PER_COUNTY = 200
# Memory per county stays bounded: a larger register is cut into more counties.
MAX_HOUSEHOLDS_PER_COUNTY = 120_000
COUNTIES_PER_PREFECTURE = 9


@dataclass(frozen=True)
class Province:
    prefix: str
    name: str
    centre: tuple[float, float]
    western: bool
    ethnic: bool
    # Roughly how many of the 832 poor counties (domain.md) the province had: how many
    # demo counties it takes before the next province is opened.
    poor_counties: int
    # Peoples (GB 3304 codes) and their shares among the rural population.
    peoples: tuple[tuple[str, float], ...] = (("01", 1.0),)


PROVINCES = (
    Province(
        "52",
        "贵州省",
        (26.6, 106.7),
        True,
        True,
        66,
        (("01", 0.55), ("06", 0.15), ("09", 0.15), ("12", 0.06), ("26", 0.05), ("15", 0.04)),
    ),
    Province(
        "53",
        "云南省",
        (25.0, 102.7),
        True,
        True,
        88,
        (("01", 0.6), ("07", 0.12), ("16", 0.08), ("14", 0.06), ("18", 0.06), ("21", 0.04), ("24", 0.04)),
    ),
    Province("62", "甘肃省", (36.1, 103.8), True, False, 75, (("01", 0.88), ("03", 0.07), ("26", 0.03), ("04", 0.02))),
    Province("54", "西藏自治区", (29.7, 91.1), True, True, 74, (("04", 0.9), ("01", 0.08), ("55", 0.02))),
    Province("51", "四川省", (30.7, 104.1), True, False, 66, (("01", 0.85), ("07", 0.08), ("04", 0.06), ("33", 0.01))),
    Province("61", "陕西省", (34.3, 108.9), True, False, 56),
    Province("13", "河北省", (38.0, 114.5), False, False, 45, (("01", 0.96), ("11", 0.03), ("03", 0.01))),
    Province("63", "青海省", (36.6, 101.8), True, True, 42, (("01", 0.5), ("04", 0.25), ("03", 0.15), ("30", 0.1))),
    Province("43", "湖南省", (28.2, 112.9), False, False, 40, (("01", 0.8), ("15", 0.1), ("06", 0.07), ("13", 0.03))),
    Province("41", "河南省", (34.8, 113.7), False, False, 38, (("01", 0.99), ("03", 0.01))),
    Province("14", "山西省", (37.9, 112.5), False, False, 36),
    Province(
        "45", "广西壮族自治区", (22.8, 108.3), True, True, 33, (("08", 0.5), ("01", 0.42), ("13", 0.06), ("06", 0.02))
    ),
    Province(
        "65", "新疆维吾尔自治区", (43.8, 87.6), True, True, 32, (("05", 0.75), ("01", 0.12), ("17", 0.08), ("03", 0.05))
    ),
    Province("15", "内蒙古自治区", (40.8, 111.7), True, True, 31, (("01", 0.78), ("02", 0.2), ("03", 0.02))),
    Province("42", "湖北省", (30.6, 114.3), False, False, 28, (("01", 0.9), ("15", 0.08), ("06", 0.02))),
    Province("36", "江西省", (28.7, 115.9), False, False, 24),
    Province("23", "黑龙江省", (45.8, 126.5), False, False, 20, (("01", 0.95), ("11", 0.03), ("10", 0.02))),
    Province("34", "安徽省", (31.9, 117.3), False, False, 20),
    Province("50", "重庆市", (29.6, 106.5), True, False, 14, (("01", 0.9), ("15", 0.07), ("06", 0.03))),
    Province("22", "吉林省", (43.9, 125.3), False, False, 8, (("01", 0.92), ("10", 0.05), ("11", 0.03))),
    Province("64", "宁夏回族自治区", (38.5, 106.3), True, True, 8, (("01", 0.6), ("03", 0.4))),
    Province("46", "海南省", (20.0, 110.3), False, False, 5, (("01", 0.8), ("19", 0.2))),
)
BY_PREFIX = {p.prefix: p for p in PROVINCES}
FIRST = "青石龙凤云桃杉枫柳松梅竹岩溪坪河安平江宁泰永兴和丰长新清白黄红乐福"
SECOND = "岭川山江源阳宁安平丰溪水城台原林泉河峰都德化远昌"


@dataclass(frozen=True)
class CountySpec:
    """One county to generate: where it lies and how much it holds."""

    index: int
    code: str  # 12 digits
    name: str
    prefecture: tuple[str, str]
    province: tuple[str, str]
    centre: tuple[float, float]
    western: bool
    ethnic: bool
    peoples: tuple[tuple[str, float], ...]
    villages: int | None  # None: the demo county's own layout
    households: int

    @property
    def prefix(self) -> str:
        return self.code[:6]


def county_count(villages: int, households: int) -> int:
    return max(
        1, min(villages, max(round(villages / VILLAGES_PER_COUNTY), math.ceil(households / MAX_HOUSEHOLDS_PER_COUNTY)))
    )


def plan(seed: int, villages: int | None, households: int) -> list[CountySpec]:
    """The counties of a generation, the demo county first; sizes split evenly."""
    if villages is None:
        return [_demo(None, households)]
    count = county_count(villages, households)
    village_split = _split(villages, count)
    household_split = _split_by(households, village_split)
    specs = [_demo(village_split[0], household_split[0])]
    rng = random.Random(f"{seed}:geography")
    taken = {COUNTY[1]}
    for index, (province, prefecture_no, county_no) in enumerate(_slots(count - 1), start=1):
        specs.append(
            _county(rng, index, province, prefecture_no, county_no, taken, village_split[index], household_split[index])
        )
    return specs


def _demo(villages: int | None, households: int) -> CountySpec:
    guizhou = BY_PREFIX["52"]
    return CountySpec(
        0, COUNTY[0], COUNTY[1], PREFECTURE, PROVINCE, COUNTY_CENTRE, True, True, guizhou.peoples, villages, households
    )


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _split_by(total: int, weights: list[int]) -> list[int]:
    """``total`` in proportion to ``weights``, the rounding left to the first parts."""
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    for i in range(total - sum(shares)):
        shares[i % len(shares)] += 1
    return shares


def _slots(count: int):
    """(province, prefecture number, county number) for each extra county, Guizhou first."""
    rounds = max(1, math.ceil((count + 1) / sum(p.poor_counties for p in PROVINCES)))
    produced = 0
    for province in PROVINCES:
        capacity = province.poor_counties * rounds - (1 if province.prefix == "52" else 0)
        # Prefectures 71–99 and counties 21–99 under each: up to 29 × 79 per province.
        per_prefecture = max(COUNTIES_PER_PREFECTURE, math.ceil(capacity / 29))
        for i in range(capacity):
            if produced == count:
                return
            prefecture_no, county_no = divmod(i, per_prefecture)
            yield province, 71 + prefecture_no, 21 + county_no
            produced += 1


def _county(
    rng: random.Random,
    index: int,
    province: Province,
    prefecture_no: int,
    county_no: int,
    taken: set[str],
    villages: int,
    households: int,
) -> CountySpec:
    prefecture_code = f"{province.prefix}{prefecture_no:02d}00000000"
    # Deterministic per prefecture, so that its counties agree on its name and place.
    local = random.Random(prefecture_code)
    suffix = "州" if province.ethnic and local.random() < 0.5 else "市"
    prefecture = (prefecture_code, local.choice(FIRST) + local.choice(SECOND) + suffix)
    centre = (province.centre[0] + local.uniform(-1.5, 1.5), province.centre[1] + local.uniform(-1.5, 1.5))
    name = _unique(rng, taken, "县")
    return CountySpec(
        index,
        f"{province.prefix}{prefecture_no:02d}{county_no:02d}000000",
        name,
        prefecture,
        (f"{province.prefix}0000000000", province.name),
        (round(centre[0] + rng.uniform(-0.6, 0.6), 6), round(centre[1] + rng.uniform(-0.6, 0.6), 6)),
        province.western,
        province.ethnic or rng.random() < 0.1,
        province.peoples,
        villages,
        households,
    )


def _unique(rng: random.Random, taken: set[str], suffix: str) -> str:
    for attempt in range(10_000):
        # Two syllables while they last, then three (the whole country has 2,800 counties).
        middle = rng.choice(FIRST) if attempt > 50 else ""
        name = rng.choice(FIRST) + middle + rng.choice(SECOND) + suffix
        if name not in taken:
            taken.add(name)
            return name
    raise ValueError("no county name left")
