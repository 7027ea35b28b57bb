"""The numbers the demo generator draws from, in one place: defaults, never rules.

Where ``../shared/domain.md`` gives a number it is cited; the rest are plausible shares
for a rural county in the west after 2020, chosen so that a demo looks like a register
and so that the tests can hold the generator to them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# Household sizes 1–8. domain.md: the 2014 register held 29.48 million households and
# 89.62 million people (3.04 a household); households of all farmers are a little larger,
# so the mean here is ≈ 3.27, with many one- and two-person households of old people.
SIZE_SHARES = (0.14, 0.24, 0.20, 0.20, 0.12, 0.06, 0.03, 0.01)

# Main causes of poverty (POVERTY_CAUSE codes): illness first, as in the national register.
CAUSE_SHARES = {
    "01": 0.40,
    "02": 0.14,
    "10": 0.12,
    "08": 0.11,
    "09": 0.09,
    "03": 0.05,
    "04": 0.03,
    "06": 0.02,
    "07": 0.01,
    "11": 0.01,
    "12": 0.015,
    "05": 0.005,
}


@dataclass(frozen=True)
class Parameters:
    # The generated register describes the end of this day: ages, terms and the last
    # income year are counted from it, so that a seed gives the same data in any year.
    as_of: date = date(2025, 12, 31)
    income_years: int = 3
    # domain.md: a monitoring line of "about 6,000–6,500 yuan in 2021–2022, higher later";
    # the later years continue the rise (yuan per person per year).
    monitoring_lines: dict[int, int] = field(
        default_factory=lambda: {2021: 6000, 2022: 6500, 2023: 7000, 2024: 7300, 2025: 7600, 2026: 7900}
    )

    # Share of households ever registered poor (建档立卡), by kind of village.
    registered_in_poor_village: float = 0.30
    registered_elsewhere: float = 0.10
    registered_in_relocation_site: float = 0.85
    registered_in_community: float = 0.03
    # Among registered households after 2020 (all exited by then, domain.md).
    returned_share: float = 0.005  # 13 返贫
    unstable_share: float = 0.065  # 21 脱贫不稳定户 (monitored)
    no_longer_supported_share: float = 0.24  # 14; the rest are 12 已脱贫享受政策
    # Among households never registered: the other two monitored categories.
    marginal_share: float = 0.040  # 22 边缘易致贫户
    hardship_share: float = 0.0115  # 23 突发严重困难户

    # Income per head as a multiple of the monitoring line: (median, sigma of the log, cap).
    income_by_status: dict[str, tuple[float, float, float | None]] = field(
        default_factory=lambda: {
            "00": (2.2, 0.40, None),
            "12": (1.7, 0.30, None),
            "14": (2.0, 0.35, None),
            "13": (0.75, 0.20, 0.95),
            "21": (0.80, 0.20, 1.3),
            "22": (0.85, 0.20, 1.3),
            "23": (0.75, 0.30, 1.3),
        }
    )
    # Households on minimum living allowance or extreme-poverty support stay below this.
    assisted_income_cap: float = 1.5
    # Income growth from one year to the next (median).
    income_growth: float = 1.07

    # Village officials and their declared kin.
    kin_per_leader: tuple[int, int] = (4, 7)  # secretary, director
    kin_per_official: tuple[int, int] = (2, 4)
    kin_per_group_leader: tuple[int, int] = (1, 2)
    one_shoulder: float = 0.6  # 书记、主任一肩挑: one person holds both posts
    term_years: int = 5
    term_starts: tuple[date, date] = (date(2021, 1, 5), date(2021, 5, 31))
    # The 2026 elections (换届) as each term ends: the villages that have voted, and the
    # officials re-elected there.
    elected_share: float = 0.92
    reelected: float = 0.7

    # Planted favouritism: one village in this many (at least one from ten villages on).
    favouritism_every: int = 50
    favouritism_min_villages: int = 10
    favoured_share: float = 0.7  # of the officials' relatives' households
    favoured_village_share: float = 0.22  # most relatives' households a planted village may have
    favoured_income: tuple[float, float] = (2.3, 4.0)  # × the monitoring line
    # What marks a household as favoured: assisted despite this income (× the line).
    favour_income_threshold: float = 2.0

    def line(self, year: int) -> int:
        known = sorted(self.monitoring_lines)
        return self.monitoring_lines[min(max(year, known[0]), known[-1])]

    @property
    def years(self) -> list[int]:
        last = self.as_of.year
        return list(range(last - self.income_years + 1, last + 1))


DEFAULTS = Parameters()
