"""The home page of work for every role, and the health check."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Mechanism, NavItem
from zhucun.core.permissions import SELF

MANIFEST = Mechanism(
    name="home",
    label=_l("Home"),
    routers=("zhucun.home.api", "zhucun.home.web"),
    nav=(NavItem(0, "/", _l("Home"), SELF),),
    tests="home",
)
