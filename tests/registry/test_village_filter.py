"""The village filter of the household and resident lists is a picker: it shows the chosen
village by name, keeps the filter in the URL, and resolves a typed exact name (or says why not)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from zhucun.core.permissions import Role
from zhucun.divisions.models import Division
from zhucun.registry.models import Household, Member

LISTS = {"/registry/households": Household, "/registry/members": Member}


def _name(session, code: str) -> str:
    return session.scalar(select(Division.name).where(Division.code == code))


@pytest.mark.parametrize("path", list(LISTS))
def test_the_chosen_village_is_shown_by_name_and_filters_the_list(client, web, world, session, path):
    web("admin")
    page = client.get(path, params={"village": world.a.village})
    assert page.status_code == 200
    assert '<select class="form-select" name="village"' not in page.text
    assert 'data-testid="picker-village"' in page.text and "/divisions/pick?level=village" in page.text
    assert f'<input type="hidden" name="village" value="{world.a.village}">' in page.text
    assert f"{_name(session, world.a.township)} › {_name(session, world.a.village)}" in page.text
    model = LISTS[path]
    expected = session.scalar(select(func.count()).select_from(model).where(model.village_code == world.a.village))
    assert page.text.split('data-testid="total">')[1].split("<")[0] == f"共 {expected:,} 条"


@pytest.mark.parametrize("path", list(LISTS))
def test_a_typed_exact_village_name_becomes_the_filter_in_the_url(client, web, world, session, path):
    web("admin")
    typed = client.get(
        path, params={"q": "", "village": "", "village__q": _name(session, world.a.village)}, follow_redirects=False
    )
    assert typed.status_code == 303
    assert typed.headers["location"] == f"{path}?q=&village={world.a.village}"


def test_a_typed_name_matching_no_village_is_said_at_the_picker_and_the_list_stays_whole(client, web, world, session):
    web("admin")
    whole = client.get("/registry/households")
    page = client.get("/registry/households", params={"village": "", "village__q": "没有这个村"})
    assert page.status_code == 200
    assert 'id="village-error"' in page.text and 'value="没有这个村"' in page.text
    total = whole.text.split('data-testid="total">')[1].split("<")[0]
    assert page.text.split('data-testid="total">')[1].split("<")[0] == total


def test_the_village_picker_of_a_township_offers_only_its_villages(client, web, world, session):
    web(world.username(Role.TOWNSHIP))
    other = client.get("/divisions/pick", params={"level": "village", "village__q": _name(session, world.b.village)})
    assert world.b.village not in other.text
