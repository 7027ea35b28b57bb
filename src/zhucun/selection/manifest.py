"""Selection and dispatch: the cadres of dispatching units and their postings to villages."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem

MANIFEST = Mechanism(
    name="selection",
    label=_l("Selection and dispatch"),
    routers=("zhucun.selection.cadres.api", "zhucun.selection.cadres.web", "zhucun.selection.teams.web"),
    commands=(Command("zhucun.selection.cadres.cli:app", "registry cadres"),),
    models=("zhucun.selection.cadres.models",),
    permissions=("zhucun.selection.permissions",),
    nav=(
        NavItem(31, "/registry/cadres", _l("Cadres"), "selection:cadre:read"),
        NavItem(32, "/registry/teams", _l("Work teams"), "selection:cadre:read"),
    ),
    home=("zhucun.selection.home:items",),
    tests="selection",
)
