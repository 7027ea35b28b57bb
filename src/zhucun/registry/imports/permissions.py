"""The permissions imports check (granted in core.permissions.ROLE_GRANTS)."""

from ...core.i18n import _l
from ...core.permissions import declare

IMPORT_READ = declare("registry:import:read", _l("View imports and their error reports"))
IMPORT_WRITE = declare("registry:import:write", _l("Import households and members"))
# Cadres are the organisation department's: a separate permission keeps townships, which
# import their villages' households, from importing cadres, and the reverse.
CADRE_IMPORT = declare("registry:cadre:import", _l("Import cadres"))
