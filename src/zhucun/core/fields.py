"""Plausible ranges for the dates and amounts people type, shared by every schema: a term
starting on 9999-12-31 or an income of −10¹⁰ yuan is a typing mistake, refused with a
located, translated message instead of stored. The bounds are wide enough for every real
record (the registry keeps people born before 1900; terms may be planned a few years ahead)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field

from zhucun.core.i18n import _

EARLIEST_BIRTH = date(1880, 1, 1)
EARLIEST_EVENT = date(1949, 10, 1)
YEARS_AHEAD = 5
MAX_YUAN = Decimal("1e9")


def _today() -> date:
    return date.today()


def _past(value: date) -> date:
    if value < EARLIEST_BIRTH or value > _today():
        raise ValueError(_("The date must lie between {first} and today.").format(first=EARLIEST_BIRTH.isoformat()))
    return value


def _event(value: date) -> date:
    last = _today().replace(year=_today().year + YEARS_AHEAD, day=min(_today().day, 28))
    if value < EARLIEST_EVENT or value > last:
        raise ValueError(
            _("The date must lie between {first} and {last}.").format(
                first=EARLIEST_EVENT.isoformat(), last=last.isoformat()
            )
        )
    return value


# A day in a person's past: birth, joining the party, starting work.
PastDate = Annotated[date, AfterValidator(_past)]
# A day of the assistance work: a term, a posting, a grant; may be planned a few years ahead.
EventDate = Annotated[date, AfterValidator(_event)]
# Amounts in yuan: incomes by source and assets are not negative.
Yuan = Annotated[Decimal, Field(ge=0, le=MAX_YUAN, decimal_places=2)]
# Net production income may be a loss, within the same bounds.
NetYuan = Annotated[Decimal, Field(ge=-MAX_YUAN, le=MAX_YUAN, decimal_places=2)]
