"""Deadlines by the official calendar (chinese-calendar: weekends, holidays and the
working weekends that make up for them) or in calendar days, and lateness derived from
them at read time: orange once half the time is used, red when overrun."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

OK, ORANGE, RED = "ok", "orange", "red"


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # Years the calendar does not know yet: weekdays are working days.
        return day.weekday() < 5


def add_days(start: date, days: int, *, working: bool) -> date:
    """The day ``days`` days after ``start``: working days skip weekends and holidays."""
    if not working:
        return start + timedelta(days=days)
    day, left = start, days
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def elapsed(start: date, today: date, *, working: bool) -> int:
    """Days (working or calendar) from ``start`` to ``today``."""
    if not working:
        return (today - start).days
    count, day = 0, start
    while day < today:
        day += timedelta(days=1)
        count += is_workday(day)
    return count


def lateness(start: date, days: int | None, today: date, *, working: bool) -> str:
    """ok / orange (half the time used) / red (overrun) for a deadline of ``days`` from ``start``."""
    if days is None:
        return OK
    used = elapsed(start, today, working=working)
    if used > days:
        return RED
    if 2 * used >= days:
        return ORANGE
    return OK
