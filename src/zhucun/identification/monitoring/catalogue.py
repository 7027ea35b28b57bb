"""The departments whose lists raise monitoring alerts (one county's practice names six;
civil affairs sends three lists)."""

from zhucun.core import naming
from zhucun.registry.catalogues import _cat

DEPARTMENT = _cat(
    "alert_department",
    ("01", "医保", "medical insurance (hospital costs)"),
    ("02", "民政低保", "civil affairs: minimum living allowance"),
    ("03", "民政特困", "civil affairs: extreme-poverty support"),
    ("04", "民政临时救助", "civil affairs: temporary assistance"),
    ("05", "应急管理", "emergency management (disaster victims)"),
    ("06", "人社", "human resources (unemployment)"),
    ("07", "教育", "education (school fees)"),
    ("08", "残联", "disabled persons' federation"),
)
# Pages name the codes through core.naming (``label("alert_department", code)``).
naming.CATALOGUES[DEPARTMENT.name] = DEPARTMENT
