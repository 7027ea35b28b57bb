"""The permission to see the history of imports (granted in core.permissions.ROLE_GRANTS);
importing a kind needs the permission its mechanism declares with it."""

from zhucun.core.i18n import _l
from zhucun.core.permissions import declare

IMPORT_READ = declare("registry:import:read", _l("View imports and their error reports"))
