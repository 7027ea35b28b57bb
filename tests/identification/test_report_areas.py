"""One rule for the area a report covers (identification/areas.py), read the same way by the
monitoring signals, the exit indicators, the MPI and the targeting report, each page with the
same division picker: a county, a township and a province-level reader each get their own
area by default, a chosen division in their area, and 404 outside it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories.world import PASSWORD
from zhucun.accounts import service as accounts
from zhucun.core.auth import Grant, Principal
from zhucun.core.permissions import Role
from zhucun.divisions.areas import first_county, own_division
from zhucun.divisions.models import Division
from zhucun.identification.monitoring.permissions import SIGNAL_READ
from zhucun.identification.permissions import REPORT_READ

REPORTS = ("/api/v1/exit-indicators", "/api/v1/mpi", "/api/v1/targeting")
PAGES = ("/identification/signals", "/identification/exit", "/identification/mpi", "/identification/targeting")


def _principal(*grants: tuple[Role, str | None]) -> Principal:
    return Principal(1, "reader", "reader", tuple(Grant(role, code) for role, code in grants))


def test_the_reader_area_is_the_widest_grant_holding_the_permission(world):
    county, township, village = world.a.county, world.a.township, world.a.village
    assert own_division(_principal((Role.RR_BUREAU, county)), REPORT_READ) == county
    assert own_division(_principal((Role.TOWNSHIP, township)), REPORT_READ) == township
    assert own_division(_principal((Role.RR_BUREAU, "520000000000")), SIGNAL_READ) == "520000000000"
    both = _principal((Role.TOWNSHIP, township), (Role.RR_BUREAU, county))
    assert own_division(both, REPORT_READ) == county
    # A grant whose role does not hold the report's permission does not widen the area.
    helper_too = _principal((Role.HELPER, township), (Role.FIRST_SECRETARY, village))
    assert own_division(helper_too, REPORT_READ) == village
    # The whole country: no division of its own, so the report starts at the first county.
    assert own_division(_principal((Role.ADMIN, None)), REPORT_READ) is None


def test_the_first_county_is_the_first_the_session_sees(session):
    counties = session.scalars(select(Division.code).where(Division.level == "county").order_by(Division.code))
    assert first_county(session) == next(iter(counties))


@pytest.fixture
def province(session, settings) -> str:
    """An account of the provincial rural revitalisation bureau."""
    code = session.scalar(select(Division.code).where(Division.level == "province").order_by(Division.code))
    assert code is not None
    accounts.create_user(
        session,
        actor=Principal.system(),
        settings=settings,
        username="sheng",
        display_name="省乡村振兴局",
        password=PASSWORD,
        division_code=code,
        must_change_password=False,
        check_password=False,
        grants=[accounts.GrantSpec(Role.RR_BUREAU.value, code, None)],
    )
    session.commit()
    return code


@pytest.mark.parametrize("who", ["county", "township", "province"])
def test_each_report_covers_the_reader_area_by_default(api, world, province, who):
    username, expected = {
        "county": (world.username(Role.RR_BUREAU), world.a.county),
        "township": (world.username(Role.TOWNSHIP), world.a.township),
        "province": ("sheng", province),
    }[who]
    for url in REPORTS:
        answer = api(username).get(url)
        assert answer.status_code == 200, (url, answer.text)
        assert answer.json()["division"] == expected, url
    # The signals of "my area" are those of the same division.
    own = api(username).get(f"/api/v1/signals/{expected}")
    assert own.status_code == 200, own.text


@pytest.mark.parametrize("who", ["county", "township", "province"])
def test_each_page_shows_the_reader_area_in_the_same_picker(client, web, world, province, who):
    username, expected = {
        "county": (world.username(Role.RR_BUREAU), world.a.county),
        "township": (world.username(Role.TOWNSHIP), world.a.township),
        "province": ("sheng", province),
    }[who]
    web(username)
    for url in PAGES:
        page = client.get(url)
        assert page.status_code == 200, (url, page.text[:300])
        assert 'data-picker="division"' in page.text, url
        assert f'<input type="hidden" name="division" value="{expected}">' in page.text, url
        assert 'data-testid="picker-division"' in page.text


def test_a_chosen_division_in_the_area_is_read_and_one_outside_is_404(api, client, web, world):
    zhen = world.username(Role.TOWNSHIP)
    for url in REPORTS:
        chosen = api(zhen).get(url, params={"division": world.a.village})
        assert chosen.status_code == 200 and chosen.json()["division"] == world.a.village, url
        assert api(zhen).get(url, params={"division": world.b.county}).status_code == 404, url
    web(zhen)
    for url in PAGES:
        page = client.get(url, params={"division": world.a.village})
        assert f'<input type="hidden" name="division" value="{world.a.village}">' in page.text, url
        assert client.get(url, params={"division": world.b.county}).status_code == 404, url
