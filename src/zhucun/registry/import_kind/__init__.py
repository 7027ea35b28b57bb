"""The household and member import: one row per member, grouped by household number, the
household's values repeated on its rows (or given on the head's row only), checked by the
rules here and written to the households, members and incomes tables by the shared engine."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from zhucun.core.auth import Principal
from zhucun.core.i18n import _l
from zhucun.core.imports.files import Source
from zhucun.core.imports.kinds import Kind
from zhucun.core.imports.service import Outcome, import_file
from zhucun.registry.history import Tag
from zhucun.registry.import_kind.facts import MemberFacts
from zhucun.registry.import_kind.fields import MEMBER_FIELDS
from zhucun.registry.import_kind.rules import Members, check_members
from zhucun.registry.import_kind.sample import members as sample_rows
from zhucun.registry.import_kind.writer import prepare_members
from zhucun.registry.models import Member
from zhucun.registry.permissions import HOUSEHOLD_IMPORT


def counts(checked: Members) -> dict[str, int]:
    return {"households": len(checked.grouping), "members": len(checked)}


MEMBERS = Kind(
    name="members",
    label=_l("Households and members"),
    fields=MEMBER_FIELDS,
    place="village_code",
    facts=MemberFacts,
    check=check_members,
    prepare=prepare_members,
    counts=counts,
    permission=HOUSEHOLD_IMPORT,
    tag=Tag.MEMBERS_IMPORTED,
    done=_l("{households} households with {members} members imported."),
    would=_l("{households} households with {members} members would be imported."),
    history={"households": "households", "members": "members"},
    tables={"households": "households", "members": "members", "incomes": "household_incomes"},
    household_key="household_no",
    id_field="id_number",
    registered=lambda: Member.__table__,
    action=_l("Import households and members"),
    help=_l("One row per member, the household's number on every row of it; the head's relation is 02 (户主)."),
    sample=sample_rows,
)


def import_members(session: Session, *, actor: Principal, source: Source, **options: Any) -> Outcome:
    """Import households and their members (one row per member), all or nothing."""
    return import_file(session, MEMBERS, actor=actor, source=source, **options)


__all__ = ["MEMBERS", "import_members"]
