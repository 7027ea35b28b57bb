"""Identification permissions (granted by pattern in core.permissions.ROLE_GRANTS)."""

from ..core.i18n import _l
from ..core.permissions import declare

CASE_READ = declare("identification:case:read", _l("View identification, monitoring and exit cases"))
CASE_WRITE = declare("identification:case:write", _l("Open identification, monitoring and exit cases"))
CASE_ACT = declare("identification:case:act", _l("Act on cases: pass, sign, reject"))
REPORT_READ = declare("identification:report:read", _l("View poverty measures and favouritism reports"))
SURVEY_IMPORT = declare("identification:survey:import", _l("Import reference-income surveys"))
