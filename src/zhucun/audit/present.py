"""How exports of the audit trail itself read in the trail."""

from __future__ import annotations

from ..core.audit import SEALED
from ..core.i18n import _l
from ..core.present import Action, actions, kind, labelled
from ..core.records import EXPORT_FIELDS
from .service import Tag

kind("audit_entries", _l("Audit trail"), EXPORT_FIELDS)
kind(
    "audit_chain",
    _l("Audit chains"),
    labelled(
        {
            "checked": _l("Entries checked"),
            "findings": _l("Chains broken"),
            "first": _l("First broken entry"),
            "seq": _l("Entries"),
            "hash": _l("Last hash"),
        }
    ),
)
LABELS = actions(
    {
        Tag.VERIFIED: Action(_l("Audit chains verified"), _l("verified the audit chains"), clauses=False),
        SEALED: Action(_l("Audit chain sealed"), _l("sealed an audit chain"), clauses=False),
    }
)
