"""Import use cases: households and members, or cadres, from one file, all or nothing, once.

The file is checked before it is opened, read as a stream, and checked whole against
what the database knows (fetched in bulk); the read transaction then ends, so that no
lock is held while the rules run. Nothing is written unless every row is good: then the
batch row, the registry rows and one audit entry go in one transaction. The batch row
comes first, so a second import of the same file waits on its unique index and is then
refused. A refused or dry-run import is recorded in the history in its own short
transaction, with its errors kept for the downloadable report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from ...config import Settings
from ...core import audit
from ...core.auth import Principal
from ...core.db import county_of, utcnow
from ...core.errors import Conflict, DomainError, Rejected
from ...core.i18n import _l
from ...core.scope import Scope, scope_of
from ..models import ImportBatch
from ..protect import Protector
from . import facts, history
from .files import FileInfo, ImportLimits, Source, inspect
from .kinds import CADRES, MEMBERS, Kind, Prepared
from .problems import ImportRejected
from .readers import read_table
from .runtime import is_integrity_error, paused_gc


class Tag(StrEnum):
    MEMBERS_IMPORTED = "registry:members:imported"
    CADRES_IMPORTED = "registry:cadres:imported"


TAGS = {"members": Tag.MEMBERS_IMPORTED, "cadres": Tag.CADRES_IMPORTED}
ALREADY = _l("This file was already imported on {date} (import #{number}); nothing was saved.")
AT_ONCE = _l("Another import registered some of the same people or household numbers at the same time; nothing "
             "was saved. Check the file again.")


@dataclass
class Outcome:
    import_id: int
    kind: str
    dry_run: bool
    sha256: str
    rows: int = 0
    households: int = 0
    members: int = 0
    incomes: int = 0
    cadres: int = 0
    preview: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Attempt:
    """What is known of one run so far, for its history record."""

    kind: Kind
    actor: Principal
    source: Source
    dry_run: bool
    started: dt.datetime = field(default_factory=utcnow)
    info: FileInfo | None = None
    prepared: Prepared | None = None


Progress = Callable[[str, int], None]


def import_members(session: Session, *, actor: Principal, source: Source, settings: Settings,
                   dry_run: bool = False, today: dt.date | None = None, progress: Progress | None = None) -> Outcome:
    """Import households and their members (one row per member), all or nothing."""
    return run(session, MEMBERS, actor=actor, source=source, settings=settings, dry_run=dry_run, today=today,
               progress=progress)


def import_cadres(session: Session, *, actor: Principal, source: Source, settings: Settings,
                  dry_run: bool = False, today: dt.date | None = None, progress: Progress | None = None) -> Outcome:
    """Import cadres of dispatching units, all or nothing."""
    return run(session, CADRES, actor=actor, source=source, settings=settings, dry_run=dry_run, today=today,
               progress=progress)


def run(session: Session, kind: Kind, *, actor: Principal, source: Source, settings: Settings, dry_run: bool,
        today: dt.date | None, progress: Progress | None = None) -> Outcome:
    scope = scope_of(session)
    if scope is None:
        raise RuntimeError("an import needs a session bound to the importer's scope")
    attempt = Attempt(kind, actor, source, dry_run)
    limits = ImportLimits()
    protector = Protector.of(settings)
    try:
        attempt.info = inspect(source, max_bytes=settings.max_upload_bytes, limits=limits)
        _refuse_if_done(session, kind, attempt.info.sha256)
        with paused_gc():
            attempt.prepared = _prepare(session, attempt, scope, protector, today or dt.date.today(),
                                        limits.max_error_rows)
    except Conflict:
        session.rollback()
        raise
    except DomainError as error:
        session.rollback()
        raise _refused(session, attempt, error) from None
    session.rollback()  # the reads are done: hold no lock while nothing is being written
    prepared = attempt.prepared
    if prepared.problems:
        raise ImportRejected.of(prepared.problems, history.record(session, attempt, prepared.problems),
                                preview=prepared.preview)
    if dry_run:
        return _outcome(attempt, history.record(session, attempt))
    if progress is not None:
        progress("writing", len(prepared.table))
    return _write(session, attempt, protector)


def _prepare(session: Session, attempt: Attempt, scope: Scope, protector: Protector, today: dt.date,
             cap: int) -> Prepared:
    kind = attempt.kind
    table = read_table(attempt.source, attempt.info, kind.columns(), kind.column_for)  # type: ignore[arg-type]
    checked = kind.check(table, kind.facts(session, table, scope), today=today, cap=cap)
    hashes = kind.hash(checked, protector)
    kind.check_registered(checked, hashes, facts.registered(session, kind.name, kind.counties(checked)))
    return Prepared(kind, table, checked, hashes)


def _refuse_if_done(session: Session, kind: Kind, sha256: str) -> None:
    earlier = facts.done_batch(session, kind.name, sha256)
    if earlier is not None:
        number, finished = earlier
        raise Conflict(ALREADY, code="already_imported", number=number,
                       date=finished.strftime("%Y-%m-%d %H:%M UTC") if finished else "")


def _refused(session: Session, attempt: Attempt, error: DomainError) -> ImportRejected:
    errors = list(error.errors) if isinstance(error, Rejected) else [error]
    rejected = ImportRejected([history.located(e) for e in errors], total=len(errors),
                              status=error.status if not isinstance(error, Rejected) else None)
    rejected.import_id = history.record(session, attempt, rejected=rejected)
    return rejected


def _write(session: Session, attempt: Attempt, protector: Protector) -> Outcome:
    kind, prepared, info = attempt.kind, attempt.prepared, attempt.info
    try:
        batch = history.open_batch(session, attempt)
        written = kind.write(session, prepared.checked, prepared.hashes, import_id=batch.id,  # type: ignore[union-attr]
                             protector=protector, now=utcnow())
        history.close_batch(batch, written)
        _audit(session, attempt, batch, written)
        session.commit()
    except Exception as exc:
        session.rollback()
        if is_integrity_error(exc):
            _refuse_if_done(session, kind, info.sha256)  # type: ignore[union-attr]
            raise Conflict(AT_ONCE, code="concurrent_import") from None
        raise
    return _outcome(attempt, batch.id, written)


def _audit(session: Session, attempt: Attempt, batch: ImportBatch, written: Any) -> None:
    counties = sorted(attempt.kind.counties(attempt.prepared.checked))  # type: ignore[union-attr]
    division = batch.division_code if len(counties) == 1 else (counties[0].ljust(12, "0") if counties else None)
    audit.record(session, actor=attempt.actor.actor, action=TAGS[attempt.kind.name], entity="import_batch",
                 entity_id=batch.id, division=division,
                 after={"file": batch.filename, "sha256": batch.sha256, "size": batch.size, "rows": batch.rows,
                        "households": written.households, "members": written.members, "incomes": written.incomes,
                        "cadres": written.cadres, "counties": counties})


def _outcome(attempt: Attempt, import_id: int, written: Any = None) -> Outcome:
    prepared, kind = attempt.prepared, attempt.kind
    counts = kind.counts(prepared.checked)  # type: ignore[union-attr]
    return Outcome(import_id, kind.name, attempt.dry_run, attempt.info.sha256, rows=len(prepared.table),  # type: ignore
                   incomes=written.incomes if written else 0, preview=prepared.preview, **counts)


__all__ = ["Outcome", "Tag", "county_of", "import_cadres", "import_members"]
