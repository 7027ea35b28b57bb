"""Columns of the unit export."""

from __future__ import annotations

from zhucun.accounts.units.schemas import UNIT_KIND, UNIT_LEVEL, PairingOut
from zhucun.core.export import Column
from zhucun.core.i18n import _l


def unit_columns(pairings: dict[int, list[PairingOut]]) -> list[Column]:
    return [
        Column(_l("Unit"), lambda u: u.name),
        Column(_l("Level"), lambda u: UNIT_LEVEL.label(u.level)),
        Column(_l("Kind"), lambda u: UNIT_KIND.label(u.kind)),
        Column(_l("Seat"), lambda u: u.division_code),
        Column(_l("Paired counties"), lambda u: "、".join(p.name or p.division_code for p in pairings.get(u.id, []))),
    ]
