"""Pure allowance arithmetic: days in the village per cadre and month, and what they earn —
whole arrays at once, so that a county's month is a few numpy operations.

Money is counted in fen (integer cents) so that sums are exact; rounding is half up. The
work allowance and the phone allowance are monthly amounts paid in proportion to the share
of the month's official working days spent in the village (capped at the whole month);
meals and transport are paid per day in the village.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from zhucun.procedures.calendar import is_workday

from .settings import GuaranteeRules

NONE = np.datetime64("NaT")


def fen(yuan: Decimal) -> int:
    """Yuan to fen, exactly."""
    return int((yuan * 100).to_integral_value())


def month_days(month: date) -> list[date]:
    """Every day of the month of ``month``."""
    first = month.replace(day=1)
    return [first + timedelta(days=n) for n in range(calendar.monthrange(first.year, first.month)[1])]


def workday_mask(month: date) -> np.ndarray:
    """Which days of the month are official working days (weekends, holidays and the
    working weekends that make up for them, by chinese-calendar)."""
    return np.array([is_workday(day) for day in month_days(month)], dtype=bool)


def posted_workdays(month: date, starts: np.ndarray, ends: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Official working days of the month inside each posting [start, end] (end NaT: open)."""
    mask = workday_mask(month) if mask is None else mask
    first = np.datetime64(month.replace(day=1), "D")
    cumulative = np.concatenate(([0], np.cumsum(mask)))
    size = len(mask)
    start = np.clip((starts.astype("datetime64[D]") - first).astype(np.int64), 0, size)
    end_dates = ends.astype("datetime64[D]")
    open_ = np.isnat(end_dates)
    end = np.where(open_, size, np.clip((end_dates - first).astype(np.int64) + 1, 0, size))
    days: np.ndarray = np.maximum(cumulative[np.maximum(end, start)] - cumulative[start], 0)
    return days


def per_cadre(cadre_ids: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days summed per cadre (a cadre may end one posting and start another in a month)."""
    ids, inverse = np.unique(cadre_ids, return_inverse=True)
    return ids, np.bincount(inverse, weights=days, minlength=len(ids)).astype(np.int64)


def _share(amount: int, days: np.ndarray, workdays: int) -> np.ndarray:
    """``amount`` × min(days, workdays) / workdays, in fen, rounded half up."""
    if workdays <= 0:
        return np.zeros(len(days), dtype=np.int64)
    part = np.minimum(days, workdays).astype(np.int64)
    shares: np.ndarray = (amount * part * 2 + workdays) // (2 * workdays)
    return shares


@dataclass(frozen=True)
class Allowances:
    """Per cadre, in fen."""

    work: np.ndarray
    meals: np.ndarray
    transport: np.ndarray
    phone: np.ndarray

    @property
    def total(self) -> np.ndarray:
        total: np.ndarray = self.work + self.meals + self.transport + self.phone
        return total


def allowances(days: np.ndarray, workdays: int, rules: GuaranteeRules) -> Allowances:
    """What each cadre earns for a month with ``days`` days in the village out of the
    month's ``workdays`` official working days."""
    days = np.asarray(days, dtype=np.int64)
    # The phone allowance is yearly; its month is a twelfth, in fen, before the share.
    phone_month = (fen(rules.phone_year) * 2 + 12) // 24
    return Allowances(
        work=_share(fen(rules.work_allowance_month), days, workdays),
        meals=days * fen(rules.meals_day),
        transport=days * fen(rules.transport_day),
        phone=_share(phone_month, days, workdays),
    )


def health_overdue(starts: np.ndarray, lasts: np.ndarray, today: date, interval: int, grace: int) -> np.ndarray:
    """Which cadres in post are overdue for their yearly health check: more than ``interval``
    days have passed since the later of the posting's start and the last check (NaT: none),
    and the posting started more than ``grace`` days ago (a posting starting today or later
    is never overdue, whatever the checks)."""
    now = np.datetime64(today, "D")
    starts = starts.astype("datetime64[D]")
    lasts = lasts.astype("datetime64[D]")
    # np.fmax ignores NaT: a cadre never checked counts from the posting's start.
    anchor = np.fmax(starts, lasts)
    overdue: np.ndarray = (now - starts > np.timedelta64(grace, "D")) & (now - anchor > np.timedelta64(interval, "D"))
    return overdue


def yuan(amount: int | np.integer) -> Decimal:
    """Fen back to yuan, for display and export."""
    return (Decimal(int(amount)) / 100).quantize(Decimal("0.01"))
