"""The home page counts the pending signals the last sweep stored (with the day it ran),
never computing the signals over the register on a view: the computation is made to fail
while the home page is read, and the count must still be the one the signals list gives."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import monitoring
from zhucun.core.permissions import Role
from zhucun.identification.monitoring import signals
from zhucun.identification.monitoring.models import SignalTally

SWEPT_ON = date(2026, 3, 2)  # signals of 2025's incomes (monitoring.YEAR), as the home page shows
LINK = "/identification/signals?state=pending"


def _home_item(client, lang: str) -> tuple[str, str]:
    """(label, count) of the pending-signals item of the home page."""
    item = client.get("/", params={"lang": lang}).text.split(f'href="{LINK}"', 1)[1]
    count = item.split('data-testid="work-count">', 1)[1].split("<", 1)[0]
    return item.split("</a>", 1)[0], count


def _forbid_computation(monkeypatch) -> None:
    """Computing the signals of an area fails from here on."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("the home page computed the signals of the register")

    monkeypatch.setattr(signals, "compute", refuse)


@pytest.fixture
def no_computation(monkeypatch):
    _forbid_computation(monkeypatch)


def test_the_home_page_reads_the_stored_count_and_says_as_of_when(api, client, web, world, session, monkeypatch):
    monitoring.signalled(session, world.a.household_id)
    monitoring.income(session, world.a.household2_id, wage=40000, spending=25000)
    session.commit()
    listed = api(world.username(Role.TOWNSHIP)).get(
        f"/api/v1/signals/{world.a.township}", params={"year": monitoring.YEAR, "state": "pending"}
    )
    assert listed.status_code == 200, listed.text
    expected = listed.json()["total"]
    assert expected >= 2

    swept = api(world.username(Role.RR_BUREAU)).post(
        f"/api/v1/monitoring/{world.a.county}/sweep", json={"on": SWEPT_ON.isoformat()}
    )
    assert swept.status_code == 200, swept.text
    assert swept.json()["pending"] >= expected
    stored = session.scalars(select(SignalTally).where(SignalTally.village_code == world.a.village)).one()
    assert stored.as_of == SWEPT_ON and stored.pending >= 2

    _forbid_computation(monkeypatch)
    web(world.username(Role.TOWNSHIP))
    label, count = _home_item(client, "zh_CN")
    assert count == str(expected)
    assert "截至 2026-03-02" in label
    english, _count = _home_item(client, "en")
    assert "as of 2026-03-02" in english


def test_an_area_never_swept_says_so_and_counts_nothing(client, web, world, session, no_computation):
    monitoring.signalled(session, world.a.household_id)
    session.commit()
    web(world.username(Role.TOWNSHIP))
    label, count = _home_item(client, "en")
    assert count == "0" and "has not been swept yet" in label


def test_a_village_without_signals_reads_zero_as_of_the_sweep(api, client, web, world, session):
    swept = api(world.username(Role.RR_BUREAU)).post(
        f"/api/v1/monitoring/{world.a.county}/sweep", json={"on": SWEPT_ON.isoformat()}
    )
    assert swept.status_code == 200, swept.text
    tallies = session.scalars(select(SignalTally).where(SignalTally.county_code == world.a.county[:6])).all()
    assert tallies and all(t.as_of == SWEPT_ON for t in tallies)
    assert {t.village_code[:6] for t in tallies} == {world.a.county[:6]}
    # County B's villages were not swept: none of its rows were written.
    assert not session.scalars(select(SignalTally).where(SignalTally.county_code == world.b.county[:6])).all()
