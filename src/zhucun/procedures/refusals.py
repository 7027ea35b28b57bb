"""The engine's named refusals as translated, located 4xx errors."""

from __future__ import annotations

from typing import Any

from zhucun.core.errors import Conflict, DomainError, Forbidden, Invalid
from zhucun.core.i18n import _l

from .engine import Refusal

MESSAGES: dict[str, tuple[type[DomainError], str | None, Any]] = {
    "case_closed": (Conflict, None, _l("This case is closed.")),
    "wrong_role": (Forbidden, "action", _l("Your role may not act at the step “{step}”.")),
    "needs_signatures": (Conflict, "action", _l("This step needs a signature from each body, not a pass.")),
    "no_signature_step": (Invalid, "action", _l("This step takes no signatures.")),
    "not_of_body": (Forbidden, "body", _l("You do not belong to the body you sign for.")),
    "one_account_one_signature": (
        Conflict,
        "body",
        _l("This account has already signed this case; the other body must sign from another account."),
    ),
    "body_signed": (Conflict, "body", _l("This body has already signed.")),
    "related_outside_village": (
        Forbidden,
        "action",
        _l(
            "The case is related to the village's officials or work team: "
            "only the township or the county may verify it."
        ),
    ),
    "related_needs_pass": (Invalid, "action", _l("A related case is verified by a pass from outside the village.")),
    "notice_running": (Conflict, "action", _l("The public notice runs until {ends}; the case cannot move on before.")),
    "rules_failed": (Invalid, "facts", _l("The household does not meet these rules: {rules}.")),
    "review_missing": (Invalid, "review", _l("Record the democratic review (date, attendees, votes) first.")),
    "review_not_carried": (
        Invalid,
        "review",
        _l("The democratic review did not carry the case (more than half of those present must vote for it)."),
    ),
    "reason_required": (Invalid, "reason", _l("Give a reason.")),
    "no_notice": (Invalid, None, _l("No public notice is running for this case.")),
    "notice_ended": (Conflict, None, _l("The notice ended on {ends}; objections are no longer taken.")),
    "unknown_action": (Invalid, "action", _l("Unknown action: {action}.")),
}


# Labels of the rules a mechanism's service names when it refuses a pass ("rules_failed"),
# filled by those mechanisms (identification.service), so a refusal names each failed rule
# in the reader's language rather than by its code.
RULE_LABELS: dict[str, Any] = {}


class RuleNames:
    """The failed rules' labels, translated when the message is shown (not when raised)."""

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names

    def __str__(self) -> str:
        return ", ".join(str(RULE_LABELS.get(name, name)) for name in self.names)


# Parameters that are themselves English labels from a procedure definition (definitions
# are plain data, so their labels are translated where they are shown, as step lists do).
LABEL_PARAMS = ("step",)


def as_error(refusal: Refusal) -> DomainError:
    kind, field, message = MESSAGES[refusal.rule]
    params: dict[str, Any] = {
        key: _l(value) if key in LABEL_PARAMS and isinstance(value, str) else value
        for key, value in refusal.params.items()
    }
    if refusal.rule == "rules_failed":
        params["rules"] = RuleNames(tuple(refusal.params.get("rules", ())))
    return kind(message, field=field, code=refusal.rule, **params)
