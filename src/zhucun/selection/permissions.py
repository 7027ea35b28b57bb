"""The selection mechanism's permissions (granted to roles in core.permissions.ROLE_GRANTS)."""

from zhucun.core.i18n import _l
from zhucun.core.permissions import declare

CADRE_READ = declare("selection:cadre:read", _l("View cadres"))
CADRE_WRITE = declare("selection:cadre:write", _l("Manage cadres and their postings"))
# Cadres are the organisation department's: a separate permission keeps townships, which
# import their villages' households, from importing cadres, and the reverse.
CADRE_IMPORT = declare("selection:cadre:import", _l("Import cadres"))
