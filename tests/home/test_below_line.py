"""The bureau's "incomes below the monitoring line": households whose latest income per head
is under that year's line, counted on its home page and listed by the household list's
``below=1`` filter (kept in the URL, exported as shown)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from tests.home.test_home_web import work
from zhucun.core.permissions import Role
from zhucun.identification.rules import monitoring_line
from zhucun.registry.models import Household, HouseholdIncome
from zhucun.registry.queries import below_line

LABEL = "收入低于监测线"


def _income(session, household: Household, year: int, wage: int) -> None:
    session.add(
        HouseholdIncome(
            county_code=household.county_code,
            household_id=household.id,
            year=year,
            wage=wage,
            production=0,
            property=0,
            transfer=0,
            production_costs=0,
        )
    )


def _household(session, household_id: int) -> Household:
    return session.scalars(select(Household).where(Household.id == household_id)).one()


def _expected_below(session, county: str) -> set[str]:
    """Worked out in Python from the rule itself: latest year, net income / size vs the line."""
    latest: dict[int, HouseholdIncome] = {}
    for row in session.scalars(select(HouseholdIncome).where(HouseholdIncome.county_code == county)):
        if row.household_id not in latest or row.year > latest[row.household_id].year:
            latest[row.household_id] = row
    below = set()
    for household_id, row in latest.items():
        household = _household(session, household_id)
        net = row.wage + row.production + row.property + row.transfer - row.production_costs
        if float(Decimal(net) / max(household.member_count or 1, 1)) < monitoring_line(row.year):
            below.add(household.household_no)
    return below


def _seed(session, world) -> tuple[Household, Household, Household]:
    poor, recovered = _household(session, world.a.household_id), _household(session, world.a.household2_id)
    elsewhere = _household(session, world.b.household_id)
    line = monitoring_line(2025)
    # Below the 2025 line per head.
    _income(session, poor, 2025, int(line * poor.member_count) - 100)
    # Below in 2024, above in its latest year: not on the list.
    _income(session, recovered, 2024, 100)
    _income(session, recovered, 2025, int(line * recovered.member_count) + 100)
    # Below, but in the other county: outside the bureau's area.
    _income(session, elsewhere, 2025, 100)
    session.commit()
    return poor, recovered, elsewhere


def test_the_bureau_counts_incomes_below_the_line_and_the_list_shows_them(client, web, world, session):
    poor, recovered, elsewhere = _seed(session, world)
    expected = _expected_below(session, world.a.county[:6])
    assert poor.household_no in expected and recovered.household_no not in expected
    web(world.username(Role.RR_BUREAU))
    url, n = work(client)[LABEL]
    assert url == "/registry/households?below=1" and n == len(expected)
    page = client.get(url).text
    assert f"共 {n:,} 条" in page
    assert 'name="below" value="1" checked' in page
    assert f">{poor.household_no}<" in page
    assert f">{recovered.household_no}<" not in page and f">{elsewhere.household_no}<" not in page
    # The export carries the filter: the file holds what the page shows.
    exported = client.get("/api/v1/households/export.csv?below=1").text
    assert poor.household_no in exported and recovered.household_no not in exported


def test_the_line_of_a_year_missing_from_the_table_is_the_last_one_before_it(session, world):
    household = _household(session, world.a.household_id)
    size = max(household.member_count, 1)
    _income(session, household, 2023, 150 * size)
    session.commit()
    lines = {2020: 100, 2025: 10_000}  # 2023 reads the 2020 line: 150 a head is above it
    found = select(Household.id).where(Household.id == household.id, below_line(lines))
    assert session.scalars(found).all() == []
    assert session.scalars(select(Household.id).where(Household.id == household.id, below_line({2020: 200}))).all()


def test_other_roles_do_not_get_the_bureaus_item(client, web, world):
    web(world.username(Role.TOWNSHIP))
    assert LABEL not in work(client)
