"""Identification, monitoring and exit under mutual supervision: registration, return-to-
poverty monitoring, exit, public notices and objections, poverty measures, favouritism."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism

MANIFEST = Mechanism(
    name="identification",
    label=_l("Identification and monitoring"),
    routers=("zhucun.identification.api",),
    commands=(Command("zhucun.identification.cli:mpi_app", None),),
    models=(),
    permissions=("zhucun.identification.permissions",),
    nav=(),
    tests="identification",
)
