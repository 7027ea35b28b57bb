"""core.bulk.copy_rows on both backends: typed values arrive as they were sent, text or
binary COPY alike, and a repeated value is converted once on SQLite without mix-ups."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories.world import World
from zhucun.core.bulk import copy_rows
from zhucun.registry.models import Household

COLUMNS = (
    "county_code",
    "id",
    "household_no",
    "village_code",
    "member_count",
    "attribute",
    "status",
    "exited_year",
    "housing_safe",
    "cultivated_land_mu",
    "productive_assets",
    "bank_cipher",
    "created_at",
    "updated_at",
)


@pytest.mark.parametrize("binary", [False, True])
def test_rows_arrive_as_sent(session, world: World, binary: bool) -> None:
    county, village = world.a.county[:6], world.a.village
    first, second = datetime(2026, 1, 2, 3, 4, 5, 6000), datetime(2026, 2, 3, 4, 5, 6)
    rows = [
        (county, 9_000_001, "T-1", village, 3, "1", "12", 2019, True, Decimal("2.5"), 1200, b"\x00\x01", first, first),
        (county, 9_000_002, "T-2", village, 1, "2", "22", None, False, Decimal("0.1"), 0, None, first, second),
        (county, 9_000_003, "T-3", village, 5, "1", "00", None, None, None, None, b"", second, second),
    ]
    assert copy_rows(session, Household.__table__, COLUMNS, iter(rows), binary=binary) == 3
    stored = session.execute(
        select(*(Household.__table__.c[c] for c in COLUMNS)).where(Household.id > 9_000_000).order_by(Household.id)
    ).all()
    assert [tuple(r) for r in stored] == [
        (*r[:9], r[9], None if r[10] is None else Decimal(r[10]), r[11], *r[12:]) for r in rows
    ]
    assert isinstance(stored[0].created_at, datetime) and stored[0].created_at == first


def test_nothing_to_write(session) -> None:
    assert copy_rows(session, Household.__table__, COLUMNS, []) == 0


def test_dates_convert_on_every_row(session, world: World) -> None:
    from zhucun.selection.cadres.models import Cadre

    county = world.a.county[:6]
    columns = ("county_code", "id", "name", "party_member", "division_code", "birth_date", "created_at", "updated_at")
    now = datetime(2026, 1, 1)
    births = [date(1980, 1, 1), date(1980, 1, 1), date(1990, 6, 30)]  # equal, not the same object
    rows = [
        (county, 9_100_000 + i, f"干部{i}", i % 2 == 0, world.a.county, born, now, now) for i, born in enumerate(births)
    ]
    copy_rows(session, Cadre.__table__, columns, rows)
    stored = session.scalars(select(Cadre.birth_date).where(Cadre.id >= 9_100_000).order_by(Cadre.id)).all()
    assert stored == births
