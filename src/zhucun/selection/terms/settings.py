"""The numbers of terms, each a default a province may override for a year.

They live in the same ``selection_rule_sets`` row as matching's numbers: the term length is
matching's ``term_years``; the warning window and the handover items are keys of its
``extra`` (``term_warning_days``, ``handover_items``), so no second settings table is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from zhucun.registry.catalogues import Catalogue
from zhucun.selection.matching.loader import rules_for as selection_rules

# What an outgoing cadre hands over (交接清单): a province may choose its own subset.
HANDOVER = Catalogue(
    "handover_item",
    {
        "documents": ("工作档案资料", "work documents"),
        "diaries": ("驻村工作日志", "work diaries"),
        "households": ("帮扶户档案", "household files"),
        "funds": ("工作经费账目", "work funds account"),
        "assets": ("固定资产与办公用品", "assets and office equipment"),
        "seal": ("印章", "seal"),
        "projects": ("在建项目台账", "ongoing projects ledger"),
    },
)
# The lists that appraisal will fill; recall is filled by the recall procedure as well.
LIST_KIND = Catalogue(
    "cadre_list",
    {
        "commendation": ("表彰", "commendation"),
        "promotion": ("优先提拔", "promotion priority"),
        "recall": ("召回", "recall"),
    },
)
LIST_SOURCE = Catalogue(
    "cadre_list_source",
    {
        "manual": ("人工录入", "entered by hand"),
        "recall": ("召回程序", "recall procedure"),
        "appraisal": ("考核结果", "appraisal"),
    },
)
END_REASON = Catalogue("term_end_reason", {"term_end": ("任期届满", "term ended"), "recall": ("召回", "recall")})


@dataclass(frozen=True)
class TermRules:
    term_years: int = 2
    warning_days: int = 90
    handover_items: tuple[str, ...] = tuple(HANDOVER.items)


def rules_for(session: Session, province: str, year: int) -> TermRules:
    """The defaults with the province's overrides for the year (unknown item codes ignored)."""
    base = selection_rules(session, province, year)
    items = tuple(i for i in base.extra.get("handover_items", HANDOVER.items) if i in HANDOVER.items)
    return TermRules(
        term_years=int(base.term_years),
        warning_days=int(base.extra.get("term_warning_days", 90)),
        handover_items=items or tuple(HANDOVER.items),
    )
