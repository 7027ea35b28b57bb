"""The audit tags of selection for a term, with what the audit trail says of each."""

from __future__ import annotations

from enum import StrEnum

from zhucun.core import present
from zhucun.core.i18n import _l
from zhucun.core.present import Action


class Tag(StrEnum):
    MARKED = "selection:village:marked"
    UNMARKED = "selection:village:unmarked"
    NOMINATED = "selection:nomination:created"
    MATCHED = "selection:match:proposed"
    EDITED = "selection:match:edited"
    APPROVED = "selection:match:approved"
    QUOTA_SET = "selection:quota:set"


LABELS = present.actions(
    {
        Tag.MARKED: Action(_l("Village marked for a team"), _l("marked {object} for a work team"), clauses=False),
        Tag.UNMARKED: Action(
            _l("Village unmarked"), _l("took {object} off the villages for a work team"), clauses=False
        ),
        Tag.NOMINATED: Action(_l("Cadre nominated"), _l("nominated {object} for the term"), clauses=False),
        Tag.MATCHED: Action(_l("Matching proposed"), _l("proposed the work teams of {object}"), clauses=False),
        Tag.EDITED: Action(_l("Proposal edited"), _l("edited the proposed work teams of {object}"), clauses=False),
        Tag.APPROVED: Action(_l("Matching approved"), _l("approved the work teams of {object}"), clauses=False),
        Tag.QUOTA_SET: Action(_l("Unit quota set"), _l("set the quota of {object} for the term"), clauses=False),
    }
)
