"""A helper's "My households" counts the households their account is the open helper of —
within the cap, not every assisted household of the village — and opens a list of exactly
those (and an export of the same)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from tests.home.test_home_web import work
from tests.selection.test_helpers_api import _households
from zhucun.core.models import User
from zhucun.core.permissions import Role
from zhucun.registry.models import Household
from zhucun.selection.helpers import rules
from zhucun.selection.helpers.models import HelperAssignment


def _mine(session, account_id):
    return set(
        session.scalars(
            select(HelperAssignment.household_id).where(
                HelperAssignment.account_id == account_id, HelperAssignment.end_date.is_(None)
            )
        )
    )


def test_my_households_are_the_helper_own_assignments(client, web, api, world, session):
    a = world.a
    helper = a.users[Role.HELPER]
    account = session.scalar(select(User.id).where(User.username == helper))
    web(helper)
    assert work(client)["我的帮扶户"][1] == 0
    # More households in care than one helper may take: the village's count is not theirs.
    _households(session, a, ["11"] * 12)
    session.commit()
    assert api("zzb").post("/api/v1/helpers/assign", json={"county": a.county}).status_code == 200
    mine = _mine(session, account)
    in_care = session.scalar(
        select(func.count()).where(Household.village_code == a.village, Household.status.in_(rules.IN_CARE_STATUSES))
    )
    assert 0 < len(mine) <= rules.DEFAULT_CAP < in_care
    url, count = work(client)["我的帮扶户"]
    assert count == len(mine) and url == "/registry/households?mine=1"
    page = client.get(url)
    assert page.status_code == 200 and f"共 {len(mine)} 条" in page.text and 'data-testid="filter-mine"' in page.text
    numbers = set(session.scalars(select(Household.household_no).where(Household.id.in_(mine))))
    shown = {n for n in numbers if n in page.text}
    assert shown == numbers
    others = set(session.scalars(select(Household.household_no).where(Household.village_code == a.village))) - numbers
    assert not any(f">{n}<" in page.text for n in others)
    export = client.get("/api/v1/households/export.csv?mine=1")
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert len(rows) == len(mine)
