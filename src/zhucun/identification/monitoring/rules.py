"""Return-to-poverty monitoring rules, pure: the signals of a whole register at once (numpy
columns in, one bit mask per household out), the category a signalled household is
proposed under, and how far an overdue case is escalated.

Every number is an argument with a configurable default in ``DEFAULTS``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from zhucun.core.i18n import _l
from zhucun.identification import rules as identification
from zhucun.procedures.calendar import elapsed

# Signal bits, so that one small integer column holds every signal of a household.
LOW_INCOME, HEAVY_SPENDING, SUDDEN_EVENT = 1, 2, 4
SIGNALS = {"low_income": LOW_INCOME, "heavy_spending": HEAVY_SPENDING, "sudden_event": SUDDEN_EVENT}
# Configurable defaults: how far back a department's alert counts as a sudden event.
DEFAULTS = {"alert_days": 365, "spending_share": identification.DEFAULTS["spending_share"]}
# Statuses of households that left poverty (已脱贫): a signal makes them 脱贫不稳定户 (21).
EXITED = ("12", "14")
# Register statuses inside the poverty register itself, not candidates for monitoring.
REGISTERED_POOR = ("11", "13")
LEVELS = ("village", "township", "county")


@dataclass(frozen=True)
class Signalled:
    """The households of a register with at least one signal, and their bits."""

    positions: np.ndarray  # positions in the input columns
    bits: np.ndarray  # LOW_INCOME | HEAVY_SPENDING | SUDDEN_EVENT


def signal_bits(
    income: np.ndarray,
    members: np.ndarray,
    spending: np.ndarray,
    alerted: np.ndarray,
    *,
    line: float,
    share: float,
) -> np.ndarray:
    """Per household, the bits of its signals: income per head below the line, unavoidable
    spending above ``share`` of income, an alert of another department (a sudden event)."""
    low, heavy = identification.signals(income, members, spending, line, share)
    bits = np.where(low, LOW_INCOME, 0) | np.where(heavy, HEAVY_SPENDING, 0) | np.where(alerted, SUDDEN_EVENT, 0)
    return bits.astype(np.int8)


def signalled(bits: np.ndarray, wanted: int = 0) -> Signalled:
    """The households with any signal (or with every bit of ``wanted``)."""
    mask = (bits & wanted) == wanted if wanted else bits != 0
    mask &= bits != 0
    positions = np.flatnonzero(mask)
    return Signalled(positions, bits[positions])


def names_of(bits: int) -> list[str]:
    return [name for name, bit in SIGNALS.items() if bits & bit]


def category(bits: int, status: str) -> str:
    """The monitoring category proposed for a signalled household: a sudden event makes it
    突发严重困难户 (23); otherwise an exited household is 脱贫不稳定户 (21), any other 边缘易致贫户 (22)."""
    if bits & SUDDEN_EVENT:
        return "23"
    return "21" if status in EXITED else "22"


def holder(step_roles: frozenset[str]) -> str:
    """The level that holds a case at a step: the county, the township, else the village."""
    if "rr_bureau" in step_roles:
        return "county"
    if "township" in step_roles:
        return "township"
    return "village"


def escalation(
    opened_on: date, clock_days: int, today: date, *, working: bool, held_by: str, current: str | None
) -> str | None:
    """The level an open case must be escalated to on ``today``, or None when nothing changes.

    Past its clock a case goes one level above the one holding it; past a second full clock,
    two levels (the county at most). A level already reached is never repeated, so the
    sweep may run any number of times a day."""
    used = elapsed(opened_on, today, working=working)
    if used <= clock_days:
        return None
    steps = 2 if used > 2 * clock_days else 1
    target = LEVELS[min(LEVELS.index(held_by) + steps, len(LEVELS) - 1)]
    if current is not None and LEVELS.index(target) <= LEVELS.index(current):
        return None
    return target


def passed_on(opened_on: date, clock_days: int, *, working: bool) -> date:
    """The last day of the clock: the case is overdue from the next day on."""
    from zhucun.procedures.calendar import add_days

    return add_days(opened_on, clock_days, working=working)


SIGNAL_LABELS = {
    "low_income": _l("income below the monitoring line"),
    "heavy_spending": _l("heavy unavoidable spending"),
    "sudden_event": _l("sudden event reported by a department"),
}
