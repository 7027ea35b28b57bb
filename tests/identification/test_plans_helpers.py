"""Plans name every kind of helper (selection/helpers: a cadre, a sitting village official,
an account) in the list, its export, the API and the plan page, joined into the page's
query: the statements a list takes do not grow with its rows."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from sqlalchemy import event, insert, select

from tests.factories import registry as registry_factory
from zhucun.core.ids import allocate
from zhucun.core.models import User
from zhucun.identification.plans import queries
from zhucun.registry.models import Household, Member
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.helpers.models import HelperAssignment


def _assign(session, household_id: int, **helper) -> None:
    home = session.scalars(select(Household).where(Household.id == household_id)).one()
    session.execute(
        insert(HelperAssignment).values(
            county_code=home.county_code,
            id=allocate(session, "helper_assignments"),
            household_id=home.id,
            village_code=home.village_code,
            start_date=date.today(),
            **helper,
        )
    )


def _plan(api, world, household_id: int) -> dict:
    created = api("duiyuan").post(
        f"/api/v1/households/{world.a.county[:6]}/{household_id}/plan", json={"goal": "稳定增收"}
    )
    assert created.status_code == 201, created.text
    return created.json()


def _three_helpers(api, world, session, settings) -> dict[int, str]:
    """A cadre, an official and an account, each helping one household with a plan: the
    expected helper name of each household, read from where each kind keeps its name."""
    third = registry_factory.household(session, settings, world.a.village, world.a.county[:6] + "0093", status="11")
    county = world.a.county[:6]
    official_member = session.scalar(
        select(Member.name).where(Member.county_code == county, Member.id == world.a.member_id)
    )
    cadre = session.scalar(select(Cadre.name).where(Cadre.county_code == county, Cadre.id == world.a.posted_cadre_id))
    account = session.scalars(select(User).where(User.username == "bangfu")).one()
    _assign(session, world.a.household_id, cadre_id=world.a.posted_cadre_id)
    _assign(session, world.a.household2_id, official_id=world.a.official_id)
    _assign(session, third.id, account_id=account.id)
    session.commit()
    expected = {world.a.household_id: cadre, world.a.household2_id: official_member, third.id: account.display_name}
    assert all(expected.values()) and len(set(expected.values())) == 3
    for household_id in expected:
        _plan(api, world, household_id)
    return expected


def test_the_list_and_the_plan_name_cadre_official_and_account_helpers(api, world, session, settings):
    expected = _three_helpers(api, world, session, settings)
    listed = api("zhen").get("/api/v1/plans", params={"division": world.a.village})
    assert listed.status_code == 200, listed.text
    helpers = {row["household_id"]: row["helper"] for row in listed.json()["items"]}
    assert helpers == expected
    for row in listed.json()["items"]:
        detail = api("zhen").get(f"/api/v1/plans/{row['county_code']}/{row['id']}")
        assert detail.json()["helper"] == expected[row["household_id"]]


def test_the_page_and_its_export_name_the_helpers(client, web, api, world, session, settings):
    expected = _three_helpers(api, world, session, settings)
    web("zhen")
    page = client.get("/identification/plans", params={"division": world.a.village})
    assert page.status_code == 200
    shown = [cell.split("<", 1)[0] for cell in page.text.split('data-testid="helper">')[1:]]
    assert sorted(shown) == sorted(expected.values())
    exported = client.get("/identification/plans/export.xlsx", params={"division": world.a.village})
    sheet = openpyxl.load_workbook(io.BytesIO(exported.content)).active
    header = [c.value for c in sheet[1]]
    column = header.index("帮扶责任人") if "帮扶责任人" in header else header.index("Helper")
    assert sorted(row[column] for row in sheet.iter_rows(min_row=2, values_only=True)) == sorted(expected.values())


def test_the_list_names_its_helpers_without_a_query_per_row(api, world, session, settings):
    expected = _three_helpers(api, world, session, settings)
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", listen)
    try:
        total, rows = queries.plans(session, queries.Filters(world.a.village), date.today())
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert total == 3 and {row["household_id"]: row["helper"] for row in rows} == expected
    # The count, the rows with their helpers joined, the account helpers' names in one: a
    # lookup per row would take two more for these three rows.
    assert len(seen) == 3, seen
