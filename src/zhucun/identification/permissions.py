"""Identification permissions (granted by pattern in core.permissions.ROLE_GRANTS)."""

from ..core.i18n import _l
from ..core.permissions import declare

CASE_READ = declare("identification:case:read", _l("View identification, monitoring and exit cases"))
CASE_WRITE = declare("identification:case:write", _l("Open identification, monitoring and exit cases"))
CASE_ACT = declare("identification:case:act", _l("Act on cases: pass, sign, reject"))
REPORT_READ = declare("identification:report:read", _l("View poverty measures and favouritism reports"))
# Causes and plans: whoever reads cases reads plans; helpers edit the plans of the
# households in their care (the service checks the assignment), the team and the village
# committee edit any in the village; the work team keeps the village's development plan.
PLAN_READ = declare("identification:plan:read", _l("View household plans and village development plans"))
PLAN_WRITE = declare("identification:plan:write", _l("Edit household plans and causes of poverty"))
PROJECT_WRITE = declare("identification:project:write", _l("Edit the village development plan"))
SURVEY_IMPORT = declare("identification:survey:import", _l("Import reference-income surveys"))
