"""The synthetic register: a demo county, or a province or the country on demand."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism

MANIFEST = Mechanism(
    name="demo",
    label=_l("Demo data"),
    present=("zhucun.demo.load",),
    commands=(Command("zhucun.demo.cli:app", None),),
    tests="demo",
)
