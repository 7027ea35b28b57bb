"""Deadlines by the official calendar (chinese-calendar: weekends, holidays and the
working weekends that make up for them) or in calendar days, and lateness derived from
them at read time: orange once half the time is used, red when overrun."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

OK, ORANGE, RED = "ok", "orange", "red"


def is_workday(day: date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
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


def started_before(today: date, used: int, *, working: bool) -> date:
    """The day D such that ``elapsed(start, today) >= used`` exactly when ``start < D``, so a
    list can filter lateness in SQL by comparing a start date with one bound per deadline."""
    if used <= 0:
        return date.max
    if not working:
        return today - timedelta(days=used - 1)
    # The used-th working day counting back from today (inclusive): a start before it has
    # ``used`` working days in (start, today].
    day, seen = today, 0
    while True:
        if is_workday(day):
            seen += 1
            if seen == used:
                return day
        day -= timedelta(days=1)


def bounds(days: int, today: date, *, working: bool) -> tuple[date, date]:
    """(orange_before, red_before): a start before the first is at least orange, before the
    second red — the same thresholds as ``lateness``."""
    return started_before(today, -(-days // 2), working=working), started_before(today, days + 1, working=working)
