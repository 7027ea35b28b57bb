"""Return-to-poverty monitoring in bulk: signals over the register, department alert lists,
and the escalation sweep of overdue monitoring cases (a part of identification, declared
on its own so that its files stay apart from the rest of the package)."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem

MANIFEST = Mechanism(
    name="identification.monitoring",
    label=_l("Return-to-poverty monitoring"),
    present=("zhucun.identification.monitoring.service",),
    routers=("zhucun.identification.monitoring.api", "zhucun.identification.monitoring.web"),
    # The commands join the ``identification`` group (see cli.py).
    commands=(Command("zhucun.identification.monitoring.cli:commands", None),),
    models=("zhucun.identification.monitoring.models",),
    permissions=("zhucun.identification.monitoring.permissions",),
    nav=(
        NavItem(47, "/identification/signals", _l("Monitoring signals"), "identification:signal:read"),
        NavItem(48, "/identification/alerts", _l("Department alerts"), "identification:signal:read"),
    ),
    home=("zhucun.identification.monitoring.home:items",),
    import_kinds=("zhucun.identification.monitoring.import_kind:ALERTS",),
    tests="identification.monitoring",
)
