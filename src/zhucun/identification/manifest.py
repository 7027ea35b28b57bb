"""Identification, monitoring and exit under mutual supervision: registration, return-to-
poverty monitoring, exit, public notices and objections, poverty measures, favouritism."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem

MANIFEST = Mechanism(
    name="identification",
    label=_l("Identification and monitoring"),
    routers=(
        "zhucun.identification.api",
        "zhucun.identification.web",
        "zhucun.identification.public",
        "zhucun.identification.reports",
        "zhucun.identification.plans.api",
        "zhucun.identification.plans.web",
        "zhucun.identification.exits.routes",
        "zhucun.identification.quality.routes",
        "zhucun.identification.quality.targeting_routes",
    ),
    commands=(
        Command("zhucun.identification.cli:mpi_app", None),
        Command("zhucun.identification.cli:app", "identification"),
        Command("zhucun.identification.plans.cli:app", "identification plans"),
    ),
    models=("zhucun.identification.plans.models", "zhucun.identification.quality.models"),
    present=("zhucun.identification.plans.service",),
    import_kinds=("zhucun.identification.quality.import_kind:REFERENCE_INCOMES",),
    permissions=("zhucun.identification.permissions",),
    nav=(
        NavItem(45, "/identification/cases", _l("Cases"), "identification:case:read"),
        NavItem(46, "/identification/favouritism", _l("Favouritism report"), "identification:report:read"),
        NavItem(47, "/identification/plans", _l("Household plans"), "identification:plan:read"),
        NavItem(48, "/identification/exit", _l("Exit indicators"), "identification:report:read"),
        NavItem(49, "/identification/mpi", _l("Multidimensional poverty"), "identification:report:read"),
        NavItem(50, "/identification/targeting", _l("Targeting quality"), "identification:report:read"),
    ),
    home=("zhucun.identification.home:items", "zhucun.identification.plans.home:items"),
    after_upgrade=("zhucun.identification.plans.kinds:sync",),
    tests="identification",
)
