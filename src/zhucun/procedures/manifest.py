"""The procedure engine shared by identification, leave, allocation, recall and appraisal:
versioned procedures, cases, dual signatures, public notices and objections."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Mechanism

MANIFEST = Mechanism(
    name="procedures",
    present=("zhucun.procedures.service",),
    label=_l("Procedures"),
    models=("zhucun.procedures.models",),
    after_upgrade=("zhucun.procedures.service:sync",),
    tests="procedures",
)
