"""The foundation's own entries: the database, ID numbers and keys, the shared import
engine, the web server."""

from zhucun.core.i18n import _l
from zhucun.core.mechanism import Command, Mechanism, NavItem

MANIFEST = Mechanism(
    name="core",
    label=_l("Foundation"),
    present=("zhucun.core.records", "zhucun.core.disclosure", "zhucun.core.keys", "zhucun.core.imports.service"),
    routers=("zhucun.core.imports.api", "zhucun.core.imports.web"),
    commands=(
        Command("zhucun.core.dbcli:app", "db"),
        Command("zhucun.core.idcli:app", "id"),
        Command("zhucun.core.keycli:app", "id keys"),
        Command("zhucun.core.imports.cli:app", "import"),
        Command("zhucun.web.cli:app", None),
    ),
    models=("zhucun.core.audit", "zhucun.core.ids", "zhucun.core.models", "zhucun.core.imports.models"),
    permissions=("zhucun.core.permissions", "zhucun.core.imports.permissions"),
    nav=(NavItem(40, "/imports", _l("Imports"), "registry:import:read"),),
    tests="core.imports",
)
