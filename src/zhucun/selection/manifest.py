"""Selection and dispatch: the cadres of dispatching units and their postings to villages."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem

MANIFEST = Mechanism(
    name="selection",
    label=_l("Selection and dispatch"),
    present=("zhucun.selection.cadres.present", "zhucun.selection.cadres.service", "zhucun.selection.matching.service"),
    routers=(
        "zhucun.selection.cadres.api",
        "zhucun.selection.cadres.web",
        "zhucun.selection.matching.api",
        "zhucun.selection.matching.web",
        "zhucun.selection.teams.web",
    ),
    commands=(
        Command("zhucun.selection.cadres.cli:app", "registry cadres"),
        Command("zhucun.selection.matching.cli:app", "selection"),
    ),
    models=("zhucun.selection.cadres.models", "zhucun.selection.matching.models"),
    permissions=("zhucun.selection.permissions",),
    nav=(
        NavItem(31, "/registry/cadres", _l("Cadres"), "selection:cadre:read"),
        NavItem(32, "/selection", _l("Selection"), "selection:match:read"),
        NavItem(33, "/registry/teams", _l("Work teams"), "selection:cadre:read"),
    ),
    import_kinds=("zhucun.selection.cadres.import_kind:CADRES",),
    home=("zhucun.selection.home:items",),
    tests="selection",
)
