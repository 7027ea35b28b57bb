"""Pure rules of the register: data in, data out, tested without a database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

# 户主 and its older code: the relations that make a member the head of the household.
HEAD_RELATIONS = ("01", "02")
# The sources a household's net income adds up (production costs are subtracted).
INCOME_SOURCES = ("wage", "production", "property", "transfer")


def is_head(relation: str | None) -> bool:
    return relation in HEAD_RELATIONS


def heads(relations: Iterable[str | None]) -> int:
    return sum(map(is_head, relations))


def has_one_head(relations: Iterable[str | None]) -> bool:
    """A household is registered with exactly one head."""
    return heads(relations) == 1


def would_add_a_head(household_has_head: bool, old_relation: str | None, new_relation: str | None) -> bool:
    """Whether giving a member ``new_relation`` (``old_relation`` for a new member: None)
    would give a household that has a head a second one."""
    return household_has_head and is_head(new_relation) and not is_head(old_relation)


@dataclass(frozen=True)
class IncomeSummary:
    """A year's income as the form shows it back: net total, per head, against the line."""

    total: Decimal
    per_head: Decimal
    line: Decimal
    below: bool


def income_summary(values: Mapping[str, Decimal], members: int | None, line: float | Decimal) -> IncomeSummary:
    """Net income (sources less production costs) per head against the year's monitoring
    line; a household of no recorded size counts as one, as the register's filter does."""
    total = sum((values.get(name, Decimal(0)) for name in INCOME_SOURCES), Decimal(0))
    total -= values.get("production_costs", Decimal(0))
    per_head = (total / max(members or 1, 1)).quantize(Decimal("0.01"))
    limit = Decimal(str(line))
    return IncomeSummary(total, per_head, limit, per_head < limit)
