"""The hash-chained audit trail: who did what, when and why."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem
from zhucun.core.permissions import AUDIT_READ

MANIFEST = Mechanism(
    name="audit",
    label=_l("Audit trail"),
    present=("zhucun.audit.present",),
    routers=("zhucun.audit.api", "zhucun.audit.web"),
    commands=(Command("zhucun.audit.cli:app", "audit"),),
    nav=(NavItem(95, "/audit", _l("Audit trail"), AUDIT_READ),),
    home=("zhucun.audit.home:items",),
    tests="audit",
)
