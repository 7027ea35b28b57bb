"""Division use cases: import a code table, edit a division's attributes, add village groups."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhucun.core.tx import relock, use_case

from ..core import audit, present
from ..core.auth import Principal
from ..core.db import chunked
from ..core.errors import Conflict, Invalid, Rejected
from ..core.i18n import _l
from ..core.present import Action
from ..core.scope import access, scope_of
from ..core.tabular import csv_rows, read_header
from .lookup import known_codes
from .models import FLAGS, Division, VillageGroup
from .rules import ATTRIBUTES, COLUMNS, Checked, check_table, location_problem, name_problem

EDITABLE = ("name", *ATTRIBUTES, *FLAGS)


class Tag(StrEnum):
    IMPORTED = "division:table:imported"
    UPDATED = "division:division:updated"
    GROUP_ADDED = "division:group:added"


LABELS = present.actions(
    {
        Tag.IMPORTED: Action(
            _l("Division codes imported"),
            _l("imported the division code table {file}: {inserted} added, {updated} changed"),
            clauses=False,
        ),
        Tag.UPDATED: Action(_l("Division changed"), _l("changed the division {object}"), here=""),
        Tag.GROUP_ADDED: Action(_l("Village group added"), _l("added the village group {object}"), clauses=False),
    }
)


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int
    groups: int
    sha256: str


def read_table(
    data: bytes, existing: set[str], *, update: bool, covers: Callable[[str], bool] | None = None
) -> Checked:
    """Decode, parse and check a table; a file that cannot be read is rejected like a bad row."""
    try:
        rows = csv_rows(data)
        header = read_header(next(rows, []), COLUMNS)
        numbered = ((number, cells) for number, cells in enumerate(rows, start=2) if any(cells))
        return check_table(header, numbered, existing, update=update, covers=covers)
    except Rejected:
        raise
    except Invalid as exc:
        raise Rejected([exc]) from None


@use_case
def import_divisions(
    session: Session,
    *,
    actor: Principal,
    data: bytes,
    filename: str = "",
    update_existing: bool = False,
    dry_run: bool = False,
) -> ImportResult:
    """Import a code table all or nothing: every error is reported and nothing is written."""
    # Parents outside the actor's area (a county's prefecture) must count as existing; rows
    # outside the area are refused by the rules.
    existing = known_codes(session)
    scope = scope_of(session)
    checked = read_table(data, existing, update=update_existing, covers=scope.covers if scope is not None else None)
    if checked.errors:
        raise Rejected(checked.errors[:1000])
    if not checked.rows:
        raise Rejected([Invalid(_l("The file holds no divisions below its header."), row=2, code="empty_table")])
    digest = hashlib.sha256(data).hexdigest()
    new = [r for r in checked.rows if r["code"] not in existing]
    changed = [r for r in checked.rows if r["code"] in existing]
    groups = [
        {"village_code": r["code"], "number": i, "name": name[:50]}
        for r in checked.rows
        for i, name in enumerate(r.get("groups", []), start=1)
    ]
    if dry_run:
        return ImportResult(len(new), len(changed), len(groups), digest)
    columns = set(inspect(Division).columns.keys())
    try:
        if new:
            session.execute(insert(Division), [_defaults({k: v for k, v in r.items() if k in columns}) for r in new])
        if changed:
            # ORM bulk UPDATE by primary key: one executemany, not a statement per division.
            session.execute(update(Division), [{k: v for k, v in r.items() if k in columns} for r in changed])
        if groups:
            for part in chunked(sorted({g["village_code"] for g in groups}), 500):
                session.execute(delete(VillageGroup).where(VillageGroup.village_code.in_(part)))
            session.execute(insert(VillageGroup), groups)
        audit.record(
            session,
            actor=actor.actor,
            action=Tag.IMPORTED,
            entity="division_table",
            entity_id=digest[:16],
            division=_common_root(checked.rows),
            after={
                "file": filename,
                "sha256": digest,
                "inserted": len(new),
                "updated": len(changed),
                "groups": len(groups),
            },
        )
    except IntegrityError:
        raise Conflict(
            _l("Another import changed the same divisions at the same time; nothing was saved. Try again."),
            code="concurrent_import",
        ) from None
    return ImportResult(len(new), len(changed), len(groups), digest)


def _defaults(row: dict[str, Any]) -> dict[str, Any]:
    for flag in FLAGS:
        row.setdefault(flag, False)
    return row


def _common_root(rows: list[dict[str, Any]]) -> str | None:
    """The county all imported rows belong to, so that the entry joins that county's chain."""
    counties = {r["code"][:6] for r in rows}
    return next(iter(counties)).ljust(12, "0") if len(counties) == 1 else None


def access_division(session: Session, code: str) -> Division:
    return access(session, Division, code)


def snapshot(division: Division) -> dict[str, Any]:
    return {name: getattr(division, name) for name in EDITABLE}


@use_case
def update_division(
    session: Session, *, actor: Principal, division: Division, changes: dict[str, Any], reason: str | None = None
) -> Division:
    """Change a division's name or attributes; the before and after go to the audit trail."""
    division = relock(session, division)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise Invalid(_l("Unknown field."), field=sorted(unknown)[0])
    if isinstance(changes.get("name"), str):
        changes = {**changes, "name": changes["name"].strip()}
    # A null clears an attribute; the name and the flags cannot be cleared.
    required = sorted(
        name for name, value in changes.items() if value in (None, "") and not inspect(Division).columns[name].nullable
    )
    if required:
        raise Invalid(_l("This field is required."), field=required[0], code="missing")
    changes = _normalised(changes)
    _check_changes(division, changes)
    before = snapshot(division)
    for name, value in changes.items():
        setattr(division, name, value)
    after = snapshot(division)
    if after == before:
        return division
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.UPDATED,
        entity="division",
        entity_id=division.code,
        division=division.code,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
        reason=reason,
    )
    return division


def _normalised(changes: dict[str, Any]) -> dict[str, Any]:
    """Amounts as stored (to the fen), so that the audit trail shows what the table holds."""
    income = changes.get("collective_income")
    if income is not None:
        changes = {**changes, "collective_income": Decimal(income).quantize(Decimal("0.01"))}
    return changes


def _check_changes(division: Division, changes: dict[str, Any]) -> None:
    if "name" in changes:
        problem = name_problem(changes["name"] or "")
        if problem is not None:
            raise Invalid(problem[1], field="name", code=problem[0])
    after = {**snapshot(division), **changes}
    located = location_problem(after["latitude"], after["longitude"])
    if located is not None:
        raise Invalid(located[1], field=located[0], code="incomplete_location")


@use_case
def add_group(session: Session, *, actor: Principal, village: Division, name: str) -> VillageGroup:
    if village.level != "village":
        raise Invalid(_l("Only a village has village groups."), field="code", code="not_a_village")
    name = name.strip()
    if not name:
        raise Invalid(_l("This field is required."), field="name", code="missing")
    taken = session.scalars(select(VillageGroup.name).where(VillageGroup.village_code == village.code)).all()
    if name in taken:
        raise Conflict(
            _l("The village already has a group named {name}."), field="name", code="duplicate_group", name=name
        )
    number = (
        session.scalar(select(func.max(VillageGroup.number)).where(VillageGroup.village_code == village.code)) or 0
    ) + 1
    group = VillageGroup(village_code=village.code, number=number, name=name)
    session.add(group)
    session.flush()
    audit.record(
        session,
        actor=actor.actor,
        action=Tag.GROUP_ADDED,
        entity="village_group",
        entity_id=f"{village.code}-{number}",
        division=village.code,
        after={"number": number, "name": name},
    )
    return group
