"""Pure rules of the register: data in, data out, tested without a database."""

from __future__ import annotations

from collections.abc import Iterable

# 户主 and its older code: the relations that make a member the head of the household.
HEAD_RELATIONS = ("01", "02")


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
