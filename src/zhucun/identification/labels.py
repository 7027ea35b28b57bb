"""Labels of the procedures' codes for pages and exports, marked for translation here
because the procedure definitions are plain data (stored as JSON, read back at run time)."""

from __future__ import annotations

from typing import Any

from zhucun.core.i18n import _l, gettext

# The step labels of the built-in procedures (definitions.py): gettext(step.label) at read
# time finds these translations.
STEP_LABELS = (
    _l("Data collection"),
    _l("Democratic review"),
    _l("Dual verification"),
    _l("First public notice"),
    _l("Township review"),
    _l("Second public notice"),
    _l("County approval"),
    _l("Home visit and consent"),
    _l("Village notice"),
    _l("Public notice"),
)

KINDS: dict[str, Any] = {
    "registration": _l("Registration"),
    "monitoring": _l("Monitoring"),
    "exit": _l("Exit"),
}
STATUSES: dict[str, Any] = {"open": _l("Open"), "approved": _l("Approved"), "refused": _l("Refused")}
LATENESS: dict[str, Any] = {"ok": _l("On time"), "orange": _l("Half the time used"), "red": _l("Overdue")}
# The levels an overdue monitoring case is escalated to (by the sweep).
LEVELS: dict[str, Any] = {"township": _l("township"), "county": _l("county")}
BODIES: dict[str, Any] = {"work_team": _l("Work team"), "village_committee": _l("Village committee")}
CATEGORIES: dict[str, Any] = {
    "21": _l("Unstable exited household"),
    "22": _l("Marginal household at risk"),
    "23": _l("Household in sudden severe hardship"),
}
# The named exit checks (exits/rules.py::household_checks), on the exit page, the case page
# and in an exit case's refusal.
EXIT_CHECKS: dict[str, Any] = {
    "income_stable": _l("Income per head above the line, year after year"),
    "education": _l("Compulsory education secured"),
    "medical": _l("Basic medical insurance for every member"),
    "housing": _l("Safe housing"),
    "water": _l("Safe drinking water"),
}
RULES: dict[str, Any] = {
    "income_missing": _l("no income recorded"),
    "income_above_line": _l("income per head at or above the line"),
    **EXIT_CHECKS,
}
# The audit tags of cases as sentences: "{who} passed the step “{step}”".
EVENTS: dict[str, Any] = {
    "procedures:case:opened": _l("{who} opened the case"),
    "procedures:case:passed": _l("{who} passed the step “{step}”"),
    "procedures:case:signed": _l("{who} signed the step “{step}”"),
    "procedures:case:verified": _l("{who} signed the step “{step}”; both bodies have signed"),
    "procedures:case:returned": _l("{who} sent the case back from “{step}” to “{to}”"),
    "procedures:case:reopened": _l("{who} reopened the case at “{to}”"),
    "procedures:case:approved": _l("{who} approved the case"),
    "procedures:case:refused": _l("{who} refused the case"),
    "procedures:case:noted": _l("{who} added a note"),
    "procedures:objection:received": _l("An objection was received; the case went back from “{step}” to “{to}”"),
    "procedures:case:escalated": _l("The statutory clock ran out; the case was escalated to the next level"),
    "procedures:case:turned_red": _l("The statutory clock ran out"),
}


def label(table: dict[str, Any], code: str | None) -> str:
    """The translated label of a code, or the code itself when it has none."""
    if code is None:
        return "—"
    found = table.get(code)
    return str(found) if found is not None else code


def step_label(text: str) -> str:
    return gettext(text)


OBJECTION_TEXT_REQUIRED = _l("Write what you object to (at least two characters).")
