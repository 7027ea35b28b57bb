"""Accounts, roles and areas; the dispatching units that accounts and cadres belong to."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem
from zhucun.core.permissions import USER_READ

MANIFEST = Mechanism(
    name="accounts",
    label=_l("Accounts"),
    present=("zhucun.accounts.present", "zhucun.accounts.service", "zhucun.accounts.units.service"),
    routers=("zhucun.accounts.api", "zhucun.accounts.web", "zhucun.accounts.units.api", "zhucun.accounts.units.web"),
    commands=(
        Command("zhucun.accounts.cli:app", "user"),
        Command("zhucun.accounts.cli:init_app", None),
        Command("zhucun.accounts.units.cli:app", "registry units"),
    ),
    models=("zhucun.accounts.units.models",),
    permissions=("zhucun.accounts.units.permissions",),
    nav=(
        NavItem(30, "/registry/units", _l("Units"), "accounts:unit:read"),
        NavItem(90, "/users", _l("Accounts"), USER_READ),
    ),
    tests="accounts",
)
