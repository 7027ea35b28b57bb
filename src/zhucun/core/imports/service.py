"""The import use case, for every kind: one file, all or nothing, once.

The file is checked before it is opened, then read as a stream and checked batch by batch
against what the database knows (fetched in bulk); good batches are written as they come
(pipeline.py), in one transaction that is committed, with the batch row and one audit
entry, only when every row of the file was good. The batch row is written first, so a
second import of the same file waits on its unique index and is then refused. A refused
or dry-run import is recorded in the history in its own short transaction, with its
errors kept for the downloadable report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from zhucun.config import Settings
from zhucun.core import audit, idnumbers
from zhucun.core.auth import Principal
from zhucun.core.bulk import analyze
from zhucun.core.db import county_of, utcnow
from zhucun.core.errors import Conflict, DomainError, Invalid, Rejected
from zhucun.core.i18n import _l
from zhucun.core.imports import history, lookup, pipeline
from zhucun.core.imports.files import FileInfo, ImportLimits, Source, inspect
from zhucun.core.imports.kinds import Kind, Run, kind_named
from zhucun.core.imports.models import ImportBatch
from zhucun.core.imports.problems import ImportRejected
from zhucun.core.imports.runtime import is_busy, is_integrity_error, paused_gc
from zhucun.core.protect import Protector
from zhucun.core.scope import scope_of
from zhucun.core.tx import transaction

ALREADY = _l("This file was already imported on {date} (import #{number}); nothing was saved.")
BUSY = _l("Another import is being written; nothing was saved. Try again when it has finished.")
AT_ONCE = _l(
    "Another import registered some of the same people or household numbers at the same time; nothing "
    "was saved. Check the file again."
)


@dataclass
class Outcome:
    import_id: int
    kind: str
    dry_run: bool
    sha256: str
    rows: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # by the kind's names: {"cadres": 4}
    summary: str = ""  # the kind's sentence for the counts, in the current language
    preview: list[dict[str, str]] = field(default_factory=list)
    notes: list[Invalid] = field(default_factory=list)


@dataclass
class Attempt:
    """What is known of one run so far, for its history record."""

    kind: Kind
    actor: Principal
    source: Source
    dry_run: bool
    max_age: int = idnumbers.MAX_AGE
    started: dt.datetime = field(default_factory=utcnow)
    info: FileInfo | None = None
    run: Run | None = None


Progress = Callable[[str, int], None]
# Rows of one table from which an import refreshes that table's statistics.
ANALYZE_AFTER = 10_000


def import_file(
    session: Session,
    kind: Kind | str,
    *,
    actor: Principal,
    source: Source,
    settings: Settings,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Outcome:
    """Import a file of one kind (a registered kind or its name), all or nothing; a dry run
    checks it and writes only its history row."""
    kind = kind_named(kind) if isinstance(kind, str) else kind
    scope = scope_of(session)
    if scope is None:
        raise RuntimeError("an import needs a session bound to the importer's scope")
    attempt = Attempt(kind, actor, source, dry_run, max_age=settings.id_max_age)
    limits = ImportLimits()
    protector = Protector.of(settings)
    try:
        attempt.info = inspect(source, max_bytes=settings.max_upload_bytes, limits=limits)
        _refuse_if_done(session, kind, attempt.info.sha256)
        session.rollback()  # on SQLite this read took the write lock: no lock while reading the file
        if progress is not None:
            progress("reading", 0)
        with paused_gc():
            attempt.run, writer = pipeline.check_and_write(
                session, attempt, scope, protector, today or dt.date.today(), limits.max_error_rows, progress
            )
    except Conflict:
        session.rollback()
        raise
    except DomainError as error:
        session.rollback()
        raise _refused(session, attempt, error) from None
    except Exception as error:
        session.rollback()
        _raise_conflict(session, attempt, error)
        raise
    return _conclude(session, attempt, writer)


def _conclude(session: Session, attempt: Attempt, writer: pipeline.Writer | None) -> Outcome:
    run = attempt.run
    assert run is not None
    if run.problems:
        session.rollback()
        _refuse_if_done(session, attempt.kind, _sha256(attempt))  # imported meanwhile?
        raise ImportRejected.of(run.problems, history.record(session, attempt, run.problems), preview=run.preview)
    if writer is None:  # a dry run: only reads were made
        session.rollback()
        return _outcome(attempt, history.record(session, attempt))
    if writer.error is not None:
        session.rollback()
        _raise_conflict(session, attempt, writer.error)
        raise writer.error
    return _commit(session, attempt, writer)


def _sha256(attempt: Attempt) -> str:
    # Checks run, and rows are written, only once the file has been inspected.
    assert attempt.info is not None
    return attempt.info.sha256


def _raise_conflict(session: Session, attempt: Attempt, error: BaseException) -> None:
    """A unique index refused a row: another import wrote the same file, people or households
    first; SQLite's lock held too long by another writer is a conflict too."""
    if is_integrity_error(error):
        _refuse_if_done(session, attempt.kind, _sha256(attempt))
        raise Conflict(AT_ONCE, code="concurrent_import") from None
    if is_busy(error):
        raise Conflict(BUSY, code="database_busy") from None


def _commit(session: Session, attempt: Attempt, writer: pipeline.Writer) -> Outcome:
    batch = writer.batch
    assert batch is not None
    try:
        history.close_batch(session, batch, attempt)
        _audit(session, attempt, batch, writer.written)
        session.commit()
    except Exception:
        session.rollback()
        raise
    _analyze_if_large(session, attempt.kind, writer.written)
    return _outcome(attempt, batch.id, writer.written)


def _analyze_if_large(session: Session, kind: Kind, written: Any) -> None:
    """A large import changes the tables' shape (a county's first load): plan on fresh statistics."""
    tables = [table for key, table in kind.tables.items() if written.counts.get(key, 0) >= ANALYZE_AFTER]
    if tables:
        with transaction(session):
            analyze(session, tables)


def _refuse_if_done(session: Session, kind: Kind, sha256: str) -> None:
    earlier = lookup.done_batch(session, kind.name, sha256)
    if earlier is not None:
        number, finished = earlier
        raise Conflict(
            ALREADY,
            code="already_imported",
            number=number,
            date=finished.strftime("%Y-%m-%d %H:%M UTC") if finished else "",
        )


def _refused(session: Session, attempt: Attempt, error: DomainError) -> ImportRejected:
    errors = list(error.errors) if isinstance(error, Rejected) else [error]
    rejected = ImportRejected(
        [history.located(e) for e in errors],
        total=len(errors),
        status=error.status if not isinstance(error, Rejected) else None,
    )
    rejected.import_id = history.record(session, attempt, rejected=rejected)
    return rejected


def _audit(session: Session, attempt: Attempt, batch: ImportBatch, written: Any) -> None:
    assert attempt.run is not None  # audited only after a run wrote
    counties = sorted({code[:6] for code in attempt.run.places()})
    division = batch.division_code if len(counties) == 1 else (counties[0].ljust(12, "0") if counties else None)
    audit.record(
        session,
        actor=attempt.actor.actor,
        action=attempt.kind.tag,
        entity="import_batch",
        entity_id=batch.id,
        division=division,
        after={
            "file": batch.filename,
            "sha256": batch.sha256,
            "size": batch.size,
            "rows": batch.rows,
            **written.counts,
            "counties": counties,
        },
    )


def _outcome(attempt: Attempt, import_id: int, written: Any = None) -> Outcome:
    run = attempt.run
    assert run is not None and attempt.info is not None
    counts = run.counts() | (written.counts if written else {})
    return Outcome(
        import_id,
        attempt.kind.name,
        attempt.dry_run,
        attempt.info.sha256,
        rows=run.rows,
        counts=counts,
        summary=attempt.kind.summary(counts, dry_run=attempt.dry_run),
        preview=run.preview,
        notes=run.notes.listed(),
    )


__all__ = ["Outcome", "county_of", "import_file"]
