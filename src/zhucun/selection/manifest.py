"""Selection and dispatch: the cadres of dispatching units and their postings to villages."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem

MANIFEST = Mechanism(
    name="selection",
    label=_l("Selection and dispatch"),
    present=(
        "zhucun.selection.cadres.present",
        "zhucun.selection.cadres.service",
        "zhucun.selection.matching.tags",
        "zhucun.selection.matching.nominations",
        "zhucun.selection.matching.marking",
        "zhucun.selection.helpers.service",
        "zhucun.selection.guarantee.service",
        "zhucun.selection.terms.service",
        "zhucun.selection.terms.recall",
    ),
    routers=(
        "zhucun.selection.cadres.api",
        "zhucun.selection.cadres.web",
        "zhucun.selection.matching.api",
        "zhucun.selection.matching.web",
        "zhucun.selection.matching.nomination_web",
        "zhucun.selection.matching.nomination_api",
        "zhucun.selection.matching.marking_web",
        "zhucun.selection.teams.web",
        "zhucun.selection.helpers.api",
        "zhucun.selection.helpers.web",
        "zhucun.selection.guarantee.api",
        "zhucun.selection.guarantee.web",
        "zhucun.selection.guarantee.cadre_web",
        "zhucun.selection.terms.api",
        "zhucun.selection.terms.web",
    ),
    commands=(
        Command("zhucun.selection.cadres.cli:app", "registry cadres"),
        Command("zhucun.selection.matching.cli:app", "selection"),
        Command("zhucun.selection.helpers.cli:app", "selection helpers"),
        Command("zhucun.selection.guarantee.cli:app", "selection guarantee"),
        Command("zhucun.selection.terms.cli:app", "selection terms"),
    ),
    models=(
        "zhucun.selection.cadres.models",
        "zhucun.selection.matching.models",
        "zhucun.selection.helpers.models",
        "zhucun.selection.guarantee.models",
        "zhucun.selection.terms.models",
    ),
    permissions=("zhucun.selection.permissions",),
    nav=(
        NavItem(31, "/registry/cadres", _l("Cadres"), "selection:cadre:read"),
        NavItem(32, "/selection", _l("Selection"), "selection:match:read"),
        NavItem(32, "/selection/nominations", _l("Nominations"), "selection:nomination:write"),
        NavItem(33, "/registry/teams", _l("Work teams"), "selection:cadre:read"),
        NavItem(34, "/selection/helpers", _l("Helpers"), "selection:helper:read"),
        NavItem(35, "/selection/guarantee", _l("Allowances and guarantee"), "incentive:guarantee:read"),
        NavItem(36, "/selection/terms", _l("Terms"), "selection:term:read"),
    ),
    import_kinds=("zhucun.selection.cadres.import_kind:CADRES",),
    home=(
        "zhucun.selection.home:items",
        "zhucun.selection.helpers.home:items",
        "zhucun.selection.guarantee.home:items",
        "zhucun.selection.terms.home:items",
    ),
    tests="selection",
)
