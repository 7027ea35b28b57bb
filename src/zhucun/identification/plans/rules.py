"""Pure rules of causes and plans: which of a household's causes its measures leave
unanswered, whether a deadline is acceptable, which measures are overdue (vectorised over
a whole county), and the causes as stored."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import numpy as np

# A deadline further than this is not a plan but a wish (a configurable default).
MAX_YEARS_AHEAD = 5
OPEN_STATUSES = ("planned", "doing")

# The default catalogue of measures (domain.md), each with the causes of poverty it
# answers (codes of registry.catalogues.POVERTY_CAUSE). Copied into plan_measure_kinds
# after every migration when missing; edits made there are kept.
DEFAULT_KINDS: tuple[tuple[str, str, str, str], ...] = (
    ("industry", "产业帮扶", "industry support", "06,08,09,11,12"),
    ("employment", "就业帮扶", "employment (incl. public-welfare posts)", "08,10,12"),
    ("training", "技能培训", "skills training", "08,12"),
    ("education", "教育资助", "education support", "03"),
    ("medical", "医疗救助", "medical support", "01,02"),
    ("housing", "危房改造", "housing renovation", "04"),
    ("relocation", "易地搬迁", "relocation", "04,06,07,11"),
    ("dibao", "低保兜底", "minimum living allowance and social security", "01,02,10"),
    ("microcredit", "小额信贷", "microcredit", "09"),
    ("eco_post", "生态护林员", "ecological posts", "10,12"),
    ("consumption", "消费帮扶", "consumption support", "09"),
    ("insurance", "金融保险", "finance and insurance", "01,04,05"),
    ("other", "其他措施", "other measure", "99"),
)


@dataclass(frozen=True)
class Causes:
    main: str | None
    others: tuple[str, ...]

    @property
    def all(self) -> tuple[str, ...]:
        return ((self.main,) if self.main else ()) + self.others

    def stored_others(self) -> str | None:
        return ",".join(self.others) or None


def parse_others(stored: str | None) -> tuple[str, ...]:
    return tuple(c for c in (stored or "").split(",") if c)


def causes(main: str | None, others: Iterable[str], known: Iterable[str]) -> Causes | str:
    """The causes as stored, or the name of the field that is wrong: an unknown code,
    or the main cause repeated among the others."""
    codes = set(known)
    if main is not None and main not in codes:
        return "main_cause"
    rest = tuple(dict.fromkeys(c for c in others if c))
    if any(c not in codes for c in rest) or (main is not None and main in rest):
        return "other_causes"
    return Causes(main, rest)


def unanswered(household_causes: Iterable[str], measure_kinds: Iterable[str], answers: Mapping[str, str]) -> list[str]:
    """The household's causes no measure of its plan answers (a warning, not a refusal:
    a cause may be met by something outside the plan). ``answers`` maps a measure kind to
    its comma-separated causes."""
    met = {c for kind in measure_kinds for c in parse_others(answers.get(kind))}
    return [c for c in household_causes if c not in met]


def deadline_problem(deadline: date, today: date) -> str | None:
    """Why a new deadline is refused: "past" or "too_far" (None when acceptable)."""
    if deadline < today:
        return "past"
    if deadline > today.replace(year=today.year + MAX_YEARS_AHEAD, day=min(today.day, 28)):
        return "too_far"
    return None


def overdue(deadlines: np.ndarray, statuses: np.ndarray, today: date) -> np.ndarray:
    """Which measures are overdue: still open after their deadline (a whole county at once)."""
    if not len(deadlines):
        return np.zeros(0, dtype=bool)
    return (deadlines.astype("datetime64[D]") < np.datetime64(today, "D")) & np.isin(statuses, OPEN_STATUSES)


def status_after(percent: int, completed: bool) -> str:
    """A measure's status after a progress entry."""
    if completed:
        return "done"
    return "doing" if percent > 0 else "planned"
