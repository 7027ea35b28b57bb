"""The register of households and members: officials, kinship, duplicates, yearly snapshots."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem

MANIFEST = Mechanism(
    name="registry",
    label=_l("Household register"),
    present=(
        "zhucun.registry.present",
        "zhucun.registry.history",
        "zhucun.registry.officials.service",
        "zhucun.registry.kinship.service",
        "zhucun.registry.duplicates.service",
        "zhucun.registry.snapshots.service",
    ),
    routers=(
        "zhucun.registry.api",
        "zhucun.registry.web",
        "zhucun.registry.incomes_web",
        "zhucun.registry.by_village",
        "zhucun.registry.officials.api",
        "zhucun.registry.officials.web",
        "zhucun.registry.kinship.api",
        "zhucun.registry.kinship.web",
        "zhucun.registry.duplicates.api",
        "zhucun.registry.duplicates.web",
        "zhucun.registry.snapshots.api",
        "zhucun.registry.snapshots.web",
    ),
    commands=(
        Command("zhucun.registry.kinship.cli:app", "registry kin"),
        Command("zhucun.registry.duplicates.cli:app", "registry duplicates"),
        Command("zhucun.registry.snapshots.cli:app", "registry snapshot"),
    ),
    models=(
        "zhucun.registry.catalogues",
        "zhucun.registry.models",
        "zhucun.registry.officials.models",
        "zhucun.registry.kinship.models",
        "zhucun.registry.duplicates.models",
        "zhucun.registry.snapshots.models",
    ),
    permissions=("zhucun.registry.permissions",),
    nav=(
        NavItem(20, "/registry/households", _l("Household register"), "registry:household:read"),
        NavItem(21, "/registry/members", _l("Residents"), "registry:household:read"),
        NavItem(34, "/registry/kin", _l("Kinship"), "registry:kin:read"),
        NavItem(36, "/registry/duplicates", _l("Duplicate registrations"), "registry:duplicate:read"),
        NavItem(38, "/registry/snapshots", _l("Yearly snapshots"), "registry:snapshot:read"),
    ),
    home=("zhucun.registry.home:items", "zhucun.registry.by_village:items"),
    import_kinds=("zhucun.registry.import_kind:MEMBERS",),
    after_upgrade=("zhucun.registry.catalogues:sync",),
    tests="registry",
)
