"""The registry's permissions (granted to roles in core.permissions.ROLE_GRANTS)."""

from ..core.i18n import _l
from ..core.permissions import declare

HOUSEHOLD_READ = declare("registry:household:read", _l("View households and their members"))
HOUSEHOLD_WRITE = declare("registry:household:write", _l("Register and change households and members"))
PERSON_UNMASK = declare("registry:person:unmask", _l("Reveal ID, phone and bank numbers (with a reason)"))
DUPLICATE_READ = declare("registry:duplicate:read", _l("View duplicate registrations"))
DUPLICATE_RESOLVE = declare("registry:duplicate:resolve", _l("Resolve duplicate registrations"))
SNAPSHOT_READ = declare("registry:snapshot:read", _l("View yearly snapshots of the register"))
SNAPSHOT_WRITE = declare("registry:snapshot:write", _l("Freeze the register for a year"))
# Calling a household in one's care: its phone only (never ID or bank numbers), with a reason.
PHONE_REVEAL = declare("registry:phone:reveal", _l("Reveal the phone of a household in one's care (with a reason)"))
KIN_READ = declare("registry:kin:read", _l("View kinship between residents"))
KIN_WRITE = declare("registry:kin:write", _l("Declare kinship between residents"))
# A household's yearly income: those who change households, and a helper for the households
# in their care (the service checks the assignment).
INCOME_WRITE = declare("registry:income:write", _l("Record the yearly income of households"))
HOUSEHOLD_IMPORT = declare("registry:import:write", _l("Import households and members"))
