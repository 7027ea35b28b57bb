"""Permissions over dispatching units (granted to roles in core.permissions.ROLE_GRANTS)."""

from zhucun.core.i18n import _l
from zhucun.core.permissions import declare

UNIT_READ = declare("accounts:unit:read", _l("View dispatching units"))
UNIT_WRITE = declare("accounts:unit:write", _l("Manage dispatching units"))
