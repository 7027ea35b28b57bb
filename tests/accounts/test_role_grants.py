"""The role table and account management agree: an account may manage another only when its
rights are a superset of the other's (``core.auth.may_manage`` compares permission sets), so
every permission granted to a role must also be granted to each role meant to manage it —
or a grant added to, say, helpers silently takes their accounts away from the organisation
department. Read over ``core.permissions.ROLE_GRANTS`` with every mechanism's permissions
declared, without a database."""

from __future__ import annotations

import pytest

from zhucun.core.mechanism import load_permissions
from zhucun.core.permissions import PERMISSIONS, USER_WRITE, Role, role_covers, role_has

# Who is meant to manage whose accounts, written out by hand (tests/accounts/test_manage.py
# walks the same pairs through every route): the administrator everyone's; the organisation
# department the dispatching units' and the helpers' accounts.
MANAGES: dict[Role, set[Role]] = {
    Role.ADMIN: set(Role) - {Role.ADMIN},
    Role.ORG_DEPT: {Role.UNIT, Role.HELPER},
}


@pytest.fixture(scope="module", autouse=True)
def _declared() -> None:
    load_permissions()


def test_the_roles_that_manage_accounts_are_the_ones_listed_here():
    assert {role for role in Role if role_has(role, USER_WRITE)} == set(MANAGES)


@pytest.mark.parametrize(
    ("manager", "managed"),
    [(manager, managed) for manager, roles in MANAGES.items() for managed in sorted(roles)],
    ids=lambda role: str(role),
)
def test_a_manager_holds_every_permission_of_the_roles_it_manages(manager, managed):
    granted = {p for p in PERMISSIONS if role_has(managed, p)}
    missing = sorted(p for p in granted if not role_has(manager, p))
    assert granted, f"{managed} is granted nothing"
    assert missing == [], f"{manager} manages {managed} but lacks {missing}"
    assert role_covers(manager, managed)


def test_the_organisation_department_does_not_cover_the_village_roles():
    # The other half of the rule: without a superset there is no management (a first
    # secretary's household writes are not the department's).
    for role in (Role.FIRST_SECRETARY, Role.TEAM_MEMBER, Role.VILLAGE_COMMITTEE, Role.TOWNSHIP):
        assert not role_covers(Role.ORG_DEPT, role), role
