"""A helper, a first secretary or a team member may reveal the phone of a household in their
care to call it — with a reason, audited — and nothing else: ID numbers stay masked. A helper's
care is the households assigned to them, not their whole village or township."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories.selection import care_of
from zhucun.core.audit import AuditEntry
from zhucun.core.permissions import Role
from zhucun.core.protect import Protector
from zhucun.registry.models import Household


def _with_phone(session, world) -> Household:
    household = session.scalar(
        select(Household).where(Household.village_code == world.a.village, Household.phone_cipher.is_not(None))
    )
    assert household is not None, "the test world has a household with a phone in the village"
    return household


@pytest.mark.parametrize("role", [Role.HELPER, Role.TEAM_MEMBER, Role.FIRST_SECRETARY])
def test_a_helper_reveals_the_phone_of_a_household_in_care_with_a_reason(client, web, world, session, settings, role):
    csrf = web(world.username(role))
    household = _with_phone(session, world)
    if role == Role.HELPER:
        care_of(session, world.username(role), household.county_code, household.id)
    phone = Protector.of(settings).reveal(household.phone_cipher)
    page = client.get(f"/registry/households/{household.county_code}/{household.id}").text
    assert household.phone_masked in page and phone not in page
    url = f"/registry/households/{household.county_code}/{household.id}/phone"
    entries = session.scalar(select(func.count()).select_from(AuditEntry))
    refused = client.post(url, data={"csrf_token": csrf, "reason": ""})
    assert refused.status_code == 422 and phone not in refused.text
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries
    shown = client.post(url, data={"csrf_token": csrf, "reason": "电话回访"})
    assert shown.status_code == 200 and phone in shown.text
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.seq.desc())).first()
    assert entry.action == "core:person:unmasked" and entry.after == {"field": "phone"} and entry.reason == "电话回访"


def test_the_phone_route_reveals_nothing_but_the_phone_and_only_in_the_area(client, web, world, session, settings):
    csrf = web(world.username(Role.HELPER))
    household = _with_phone(session, world)
    care_of(session, world.username(Role.HELPER), household.county_code, household.id)
    # The field is fixed by the route: asking for the bank account still answers the phone.
    answer = client.post(
        f"/registry/households/{household.county_code}/{household.id}/phone",
        data={"csrf_token": csrf, "field": "bank_account", "reason": "x2"},
    )
    assert answer.status_code == 200
    assert Protector.of(settings).reveal(household.phone_cipher) in answer.text
    if household.bank_cipher is not None:
        assert Protector.of(settings).reveal(household.bank_cipher) not in answer.text
    assert (
        client.post(
            f"/registry/households/{household.county_code}/{household.id}/reveal",
            data={"csrf_token": csrf, "field": "phone", "reason": "回访"},
        ).status_code
        == 403
    )
    other = client.post(
        f"/registry/households/{world.b.county_code}/{world.b.household_id}/phone",
        data={"csrf_token": csrf, "reason": "电话回访"},
    )
    assert other.status_code == 404


def test_a_helper_calls_only_the_households_in_their_care(client, web, world, session, settings):
    csrf = web(world.username(Role.HELPER))
    household = _with_phone(session, world)
    phone = Protector.of(settings).reveal(household.phone_cipher)
    url = f"/registry/households/{household.county_code}/{household.id}"
    # In the helper's village but not assigned to them: the number stays masked, no control shown.
    page = client.get(url)
    assert page.status_code == 200 and household.phone_masked in page.text
    assert f"{url}/phone" not in page.text
    entries = session.scalar(select(func.count()).select_from(AuditEntry))
    refused = client.post(f"{url}/phone", data={"csrf_token": csrf, "reason": "电话回访"})
    assert refused.status_code == 403 and phone not in refused.text
    assert "帮扶责任人" in refused.text
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == entries
    # Once the household is assigned to them, the same request shows the number.
    care_of(session, world.username(Role.HELPER), household.county_code, household.id)
    assert f"{url}/phone" in client.get(url).text
    shown = client.post(f"{url}/phone", data={"csrf_token": csrf, "reason": "电话回访"})
    assert shown.status_code == 200 and phone in shown.text
