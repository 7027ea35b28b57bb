"""Monitoring permissions (granted by the ``identification:*:*`` patterns of core.permissions)."""

from zhucun.core.i18n import _l
from zhucun.core.permissions import declare

SIGNAL_READ = declare("identification:signal:read", _l("View return-to-poverty signals and department alerts"))
SIGNAL_ACT = declare("identification:signal:act", _l("Open monitoring cases for signalled households"))
ALERT_IMPORT = declare("identification:alert:import", _l("Import department alert lists"))
CASE_SWEEP = declare("identification:case:sweep", _l("Escalate overdue monitoring cases"))
