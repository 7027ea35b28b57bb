"""Dispatching units and the work teams they send to key villages: a first secretary and
two team members per key village (domain.md: at least 3 members per team, the first
secretary usually leading; 2021: first secretaries sent to key villages), and the first
secretary of the previous round, whose posting ended at the rotation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from .geography import CountySpec

SPECIALITIES = (
    "农业经济管理",
    "法学",
    "计算机科学与技术",
    "临床医学",
    "土木工程",
    "汉语言文学",
    "财务管理",
    "电气工程",
    "公共管理",
    "农学",
    "畜牧兽医",
    "市场营销",
)
POSITIONS = {"31": "科长", "32": "副科长", "41": "科员", "42": "办事员", "52": "工程师"}
ROUND_STARTS = (date(2023, 6, 1), date(2024, 3, 31))
PREVIOUS_STARTS = (date(2021, 6, 1), date(2021, 9, 30))
ROTATION = "任期届满，轮换"


def units(spec: CountySpec) -> list[dict[str, str]]:
    """The units paired with a generated county (the demo county has its own, demo.accounts)."""
    county, prefecture, province = spec.name, spec.prefecture[1], spec.province[1]
    return [
        {"name": f"{province}农村信用社联合社", "level": "provincial", "kind": "state_firm"},
        {"name": f"{prefecture}生态环境局", "level": "city", "kind": "government"},
        {"name": f"{county}农业农村局", "level": "county", "kind": "government"},
        {"name": f"{county}人民医院", "level": "county", "kind": "public_institution"},
    ]


@dataclass
class Teams:
    """Cadres (one row each) and their postings; ``village`` indexes the county's villages."""

    unit: np.ndarray
    region: np.ndarray  # GB/T 2260 code of the ID number
    male: np.ndarray
    birth: np.ndarray  # datetime64[D]
    education: np.ndarray
    party_member: np.ndarray
    party_joined: list[date | None]
    work_started: list[date]
    rank: np.ndarray
    speciality: np.ndarray
    posted: np.ndarray  # village index while posted, -1 when not
    # postings: one per cadre, in the same order
    village: np.ndarray
    role: np.ndarray
    start: list[date]
    end: list[date | None]


def teams(
    rng: np.random.Generator,
    key_villages: np.ndarray,
    unit_ids: list[int],
    unit_levels: list[str],
    spec: CountySpec,
    as_of: date,
) -> Teams:
    """Four cadres per key village: the first secretary, two team members, the previous first secretary."""
    k = len(key_villages)
    village = np.repeat(key_villages, 4)
    slot = np.tile(np.arange(4), k)  # 0 first secretary, 1–2 members, 3 the previous first secretary
    n = len(village)
    leader = slot % 3 == 0
    unit_index = np.repeat(rng.integers(0, max(len(unit_ids), 1), k), 4)
    # Team members now and then come from a unit of the county itself.
    local = unit_levels.index("county") if "county" in unit_levels else 0
    unit_index = np.where(~leader & (rng.random(n) < 0.3), local, unit_index)
    age = np.where(leader, rng.integers(28, 51, n), rng.integers(25, 56, n))
    birth = np.datetime64(as_of) - (age * 365.25 + rng.integers(0, 365, n)).astype("timedelta64[D]")
    start_round = _dates(rng, *ROUND_STARTS, k)
    start_previous = _dates(rng, *PREVIOUS_STARTS, k)
    start = [start_previous[i // 4] if s == 3 else start_round[i // 4] for i, s in enumerate(slot.tolist())]
    end = [
        start_round[i // 4].fromordinal(start_round[i // 4].toordinal() - 1) if s == 3 else None
        for i, s in enumerate(slot.tolist())
    ]
    party = leader | (rng.random(n) < 0.8)
    born_year = birth.astype("datetime64[Y]").astype(int) + 1970
    work_year = born_year + rng.integers(22, 26, n)
    joined_year = np.minimum(born_year + rng.integers(20, 31, n), np.array([s.year - 1 for s in start]))
    levels = np.array(unit_levels)[unit_index] if unit_levels else np.array(["county"] * n)
    return Teams(
        unit=np.array(unit_ids)[unit_index] if unit_ids else np.zeros(n, dtype=int),
        region=_regions(spec, levels),
        male=rng.random(n) < np.where(leader, 0.8, 0.6),
        birth=birth,
        education=np.where(
            leader, _pick(rng, ("1", "2", "3"), (0.2, 0.65, 0.15), n), _pick(rng, ("2", "3", "4"), (0.5, 0.35, 0.15), n)
        ),
        party_member=party,
        party_joined=[date(int(y), 7, 1) if p else None for y, p in zip(joined_year.tolist(), party.tolist())],
        work_started=[date(int(y), 8, 1) for y in work_year.tolist()],
        rank=np.where(
            leader,
            _pick(rng, ("31", "32", "41", "52"), (0.2, 0.4, 0.25, 0.15), n),
            _pick(rng, ("41", "42", "52"), (0.6, 0.2, 0.2), n),
        ),
        speciality=np.array(SPECIALITIES)[rng.integers(0, len(SPECIALITIES), n)],
        posted=np.where(slot == 3, -1, village),
        village=village,
        role=np.where(leader, "1", "3"),
        start=start,
        end=end,
    )


def _regions(spec: CountySpec, levels: np.ndarray) -> np.ndarray:
    """Where the cadres' ID numbers were issued: near their unit's seat."""
    county = int(spec.prefix)
    city = int(spec.prefix[:4] + "02")
    province = int(spec.prefix[:2] + "0102")
    return np.select([levels == "county", levels == "city"], [county, city], province)


def _dates(rng: np.random.Generator, low: date, high: date, n: int) -> list[date]:
    return [date.fromordinal(int(d)) for d in rng.integers(low.toordinal(), high.toordinal() + 1, n)]


def _pick(rng: np.random.Generator, codes: tuple[str, ...], shares: tuple[float, ...], n: int) -> np.ndarray:
    return np.array(codes)[rng.choice(len(codes), size=n, p=shares)]
