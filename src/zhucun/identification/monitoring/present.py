"""Signals as rows for the list, the API and the export: names for the page's households
only (one read for a page), signal and state labels in the reader's language."""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy.orm import Session

from zhucun.core.export import Column
from zhucun.core.i18n import _l
from zhucun.registry import catalogues as cat

from . import rules, signals
from .schemas import SignalOut

STATES = {
    signals.PENDING: _l("Not yet acted on"),
    signals.MONITORED: _l("Already monitored"),
    signals.IN_CASE: _l("Case running"),
}


def rows(session: Session, found: signals.Signals, start: int = 0, stop: int | None = None) -> list[SignalOut]:
    part = slice(start, stop)
    county, ids = found.county[part].tolist(), found.ids[part].tolist()
    named = signals.heads(session, county, ids)
    out = []
    for n, household_id in enumerate(ids, start=start):
        number, head = named.get(household_id, (None, None))
        per_head = float(found.income_per_head[n])
        out.append(
            SignalOut(
                county_code=str(found.county[n]),
                household_id=household_id,
                household_no=number,
                head_name=head,
                village_code=str(found.village[n]),
                status=str(found.status[n]),
                income_per_head=None if math.isnan(per_head) else round(per_head, 2),
                unavoidable_spending=float(found.spending[n]),
                signals=rules.names_of(int(found.bits[n])),
                state=str(found.state[n]),
            )
        )
    return out


def signal_words(names: list[str]) -> str:
    return "、".join(str(rules.SIGNAL_LABELS[name]) for name in names)


def export_columns(village_names: dict[str, str]) -> list[Column]:
    return [
        Column(_l("Household number"), lambda r: r.household_no),
        Column(_l("Head of household"), lambda r: r.head_name),
        Column(_l("Village"), lambda r: village_names.get(r.village_code, "")),
        Column(_l("Status"), lambda r: cat.HOUSEHOLD_STATUS.label(r.status)),
        Column(_l("Income per person"), lambda r: r.income_per_head),
        Column(_l("Unavoidable spending"), lambda r: r.unavoidable_spending),
        Column(_l("Signals"), lambda r: signal_words(r.signals)),
        Column(_l("State"), lambda r: str(STATES[r.state])),
    ]


def as_json(items: list[SignalOut]) -> list[dict[str, Any]]:
    return [item.model_dump() for item in items]
