"""Administrative divisions: province to village, groups, flags, code tables."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem
from zhucun.core.permissions import DIVISION_READ

MANIFEST = Mechanism(
    name="divisions",
    label=_l("Divisions"),
    present=("zhucun.divisions.present", "zhucun.divisions.service"),
    routers=("zhucun.divisions.api", "zhucun.divisions.web"),
    commands=(Command("zhucun.divisions.cli:app", "divisions"),),
    models=("zhucun.divisions.models",),
    nav=(NavItem(10, "/divisions", _l("Divisions"), DIVISION_READ),),
    home=("zhucun.divisions.home:items",),
    tests="divisions",
)
