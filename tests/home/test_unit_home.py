"""A dispatching unit's home page counts its own cadres only: another unit's cadre posted in
the same county, or the county's households and teams, never enter a unit's counts."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import insert

from tests.factories import selection as cadre_factory
from tests.home.test_home_web import work
from zhucun.accounts.units.models import Unit
from zhucun.core.permissions import Role


def _other_unit_cadre(session, settings, world) -> None:
    """A second unit of county A with a cadre posted in A's village (as the world's unit's is)."""
    other = session.scalar(
        insert(Unit)
        .values(name="青岚县交通局", level="county", kind="government", division_code=world.a.county)
        .returning(Unit.id)
    )
    cadre = cadre_factory.cadre(
        session, settings, world.a.county, name="周建国", born="19800303", male=True, seq=871, unit_id=other
    )
    # Two years' term ending within the unit's warning window, had it been the unit's cadre.
    start = (date.today() - timedelta(days=700)).isoformat()
    cadre_factory.posting(session, cadre, world.a.village, role="3", start=start)
    session.commit()


def test_every_count_on_a_unit_home_is_of_its_own_cadres(client, web, world, session, settings):
    web(world.username(Role.UNIT))
    before = work(client)
    _other_unit_cadre(session, settings, world)
    after = work(client)
    assert after == before
    # Its cadres in post: the one the world posted for it, and the list behind the count agrees.
    url, own = after["在岗驻村干部"]
    assert own == 1 and "共 1 条" in client.get(url).text
    # Counts of the county's households and teams are not a unit's work.
    assert "在岗工作队不齐的重点村" not in after and "未落实帮扶责任人的户" not in after
    assert after["本单位干部任期将在90天内届满"][1] == 0


def test_the_county_still_sees_every_cadre_in_post(client, web, world, session, settings):
    web(world.username(Role.ORG_DEPT))
    before = work(client)
    _other_unit_cadre(session, settings, world)
    items = work(client)
    assert items["在岗驻村干部"][1] == before["在岗驻村干部"][1] + 1
    # The other unit's cadre's term does end within the window: the unit's 0 above is its own.
    assert items["任期将在90天内届满"][1] == before["任期将在90天内届满"][1] + 1
    assert "在岗工作队不齐的重点村" in items and "未落实帮扶责任人的户" in items
