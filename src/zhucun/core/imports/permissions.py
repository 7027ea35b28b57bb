"""The permissions imports check (granted in core.permissions.ROLE_GRANTS)."""

from zhucun.core.i18n import _l
from zhucun.core.permissions import declare

IMPORT_READ = declare("registry:import:read", _l("View imports and their error reports"))
IMPORT_WRITE = declare("registry:import:write", _l("Import households and members"))
