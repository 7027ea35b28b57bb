"""The selection mechanism's permissions (granted to roles in core.permissions.ROLE_GRANTS)."""

from zhucun.core.i18n import _l
from zhucun.core.permissions import declare

CADRE_READ = declare("selection:cadre:read", _l("View cadres"))
CADRE_WRITE = declare("selection:cadre:write", _l("Manage cadres and their postings"))
# Cadres are the organisation department's: a separate permission keeps townships, which
# import their villages' households, from importing cadres, and the reverse.
# The unit's assessment of its cadres' five inner factors (the organisation department's too):
# under ``selection:cadre:*``, which both hold for their cadres.
CADRE_ASSESS = declare("selection:cadre:assess", _l("Assess cadres' competency"))
CADRE_IMPORT = declare("selection:cadre:import", _l("Import cadres"))
# Selection for a term: marking villages and matching are the organisation department's;
# nominating is each dispatching unit's, for its own cadres.
MATCH_READ = declare("selection:match:read", _l("View marked villages, candidates and proposals"))
VILLAGE_MARK = declare("selection:village:write", _l("Mark villages for a term"))
NOMINATE = declare("selection:nomination:write", _l("Nominate cadres for a term"))
MATCH_WRITE = declare("selection:match:write", _l("Run and edit the matching"))
QUOTA_WRITE = declare("selection:quota:write", _l("Set units' quotas for a term"))
MATCH_APPROVE = declare("selection:match:approve", _l("Approve the matching into postings"))
# Helpers for every household: the organisation department assigns and releases them;
# whoever reads selection sees the coverage.
HELPER_READ = declare("selection:helper:read", _l("View helpers and their coverage"))
HELPER_WRITE = declare("selection:helper:write", _l("Assign and release helpers"))
# Incentive and guarantee (``incentive:``, which the role table grants the organisation
# department wholly and dispatching units to read, for their own cadres by the scope).
GUARANTEE_READ = declare("incentive:guarantee:read", _l("View allowances, work funds, insurance and health checks"))
GUARANTEE_WRITE = declare(
    "incentive:guarantee:write", _l("Record work funds and their spending, insurance and health checks")
)
# A health check's result is private: its own action, so that no "read" pattern reaches it.
HEALTH_REVEAL = declare("incentive:health:reveal", _l("See the results of cadres' health checks"))
# Terms, rotation and recall: the organisation department reads and rotates terms, proposes
# recalls and keeps the lists; a dispatching unit carries out the recall of its own cadre and
# ticks its handover (both under ``selection:cadre:*``, which units hold for their cadres).
TERM_READ = declare("selection:term:read", _l("View terms, handovers, recalls and the cadre lists"))
TERM_ROTATE = declare("selection:term:write", _l("Rotate ended terms"))
HANDOVER_WRITE = declare("selection:cadre:handover", _l("Tick and close handover checklists"))
RECALL_PROPOSE = declare("selection:recall:write", _l("Propose recalls and post replacements"))
RECALL_ACT = declare("selection:cadre:recall", _l("Act on recalls of one's cadres"))
LIST_WRITE = declare("selection:list:write", _l("Put cadres on the commendation, promotion and recall lists"))
