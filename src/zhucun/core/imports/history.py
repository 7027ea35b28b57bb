"""The history of imports: the batch row of each run and the errors of refused or checked
files, rendered in both languages for the report (personal numbers are already masked)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from zhucun.core.bulk import begin_load
from zhucun.core.codes import pad
from zhucun.core.db import utcnow
from zhucun.core.errors import DomainError, Invalid
from zhucun.core.i18n import use_locale
from zhucun.core.imports.models import ImportBatch, ImportProblem
from zhucun.core.imports.problems import ImportRejected, Problems

if TYPE_CHECKING:
    from zhucun.core.imports.service import Attempt

DONE, REJECTED, CHECKED = "done", "rejected", "checked"
ROOT_LENGTHS = (12, 9, 6, 4, 2)


def located(error: DomainError) -> Invalid:
    if isinstance(error, Invalid):
        return error
    return Invalid(
        error.template, code=error.code, field=error.field, row=error.row, column=error.column, **error.params
    )


def common_root(codes: list[str]) -> str | None:
    """The smallest division holding every code (a village, its township, the county…)."""
    for length in ROOT_LENGTHS:
        prefixes = {code[:length] for code in codes}
        if len(prefixes) == 1:
            return pad(prefixes.pop())
    return None


def division_of(attempt: Attempt) -> str | None:
    """Where the import belongs in the history: its places', else the importer's own area."""
    places = attempt.run.places() if attempt.run else []
    return common_root(places) if places else attempt.actor.division_code


def _counts(batch: ImportBatch, attempt: Attempt) -> None:
    run = attempt.run
    stored = attempt.kind.stored(run.counts() if run else {})
    batch.rows = run.rows if run else 0
    batch.households = stored.get("households", 0)
    batch.members = stored.get("members", 0)
    batch.division_code = division_of(attempt)


def _batch(attempt: Attempt, status: str) -> ImportBatch:
    info, actor = attempt.info, attempt.actor
    batch = ImportBatch(
        kind=attempt.kind.name,
        status=status,
        filename=(attempt.source.filename or "")[:255],
        sha256=info.sha256 if info else "",
        size=info.size if info else 0,
        errors=0,
        actor_id=actor.user_id,
        actor_name=actor.username,
        started_at=attempt.started,
    )
    _counts(batch, attempt)
    return batch


def record(
    session: Session, attempt: Attempt, problems: Problems | None = None, rejected: ImportRejected | None = None
) -> int:
    """A refused or dry-run import, in its own short transaction; returns its number."""
    status = CHECKED if attempt.dry_run else REJECTED
    errors = problems.listed() if problems else (rejected.errors if rejected else [])
    if not errors and status == REJECTED:
        status = CHECKED
    batch = _batch(attempt, status)
    batch.errors = problems.total if problems else (rejected.total if rejected else 0)
    batch.finished_at = utcnow()
    session.add(batch)
    session.flush()
    # Notes (valid numbers with implausible birth dates) are kept after the errors, for the report.
    listed = [*errors, *(attempt.run.notes.listed() if attempt.run else [])]
    if listed:
        session.execute(insert(ImportProblem), _problem_rows(batch.id, listed))
    session.commit()
    return batch.id


def _problem_rows(import_id: int, errors: list[Invalid]) -> list[dict[str, Any]]:
    with use_locale("zh_CN"):
        chinese = [e.message for e in errors]
    with use_locale("en"):
        english = [e.message for e in errors]
    return [
        {
            "import_id": import_id,
            "seq": seq,
            "row_number": e.row,
            "column_letter": e.column,
            "code": e.code[:40],
            "message_zh": zh,
            "message_en": en,
        }
        for seq, (e, zh, en) in enumerate(zip(errors, chinese, english), start=1)
    ]


def open_batch(session: Session, attempt: Attempt) -> ImportBatch:
    """The batch row of a run that writes, before its first rows; a concurrent run of the same
    file waits here (its counts and area are known, and set, at the end)."""
    begin_load(session)
    info = attempt.info
    assert info is not None  # a run writes only once its file has been inspected
    lock_file(session, info.sha256)
    batch = ImportBatch(
        kind=attempt.kind.name,
        status=DONE,
        filename=(attempt.source.filename or "")[:255],
        sha256=info.sha256,
        size=info.size,
        rows=0,
        households=0,
        members=0,
        errors=0,
        actor_id=attempt.actor.user_id,
        actor_name=attempt.actor.username,
        started_at=attempt.started,
    )
    session.add(batch)
    session.flush()
    return batch


def lock_file(session: Session, sha256: str) -> None:
    """Serialise the writers of one file on PostgreSQL, until the transaction ends. The unique
    index on the done batches would make a second run wait too, but on Citus the batch rows are
    a reference table, written on every node, and two runs that both write theirs end in a
    distributed deadlock; an advisory lock on the coordinator makes the second wait before it
    writes anything, then find the file imported (409)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(file_lock_key(sha256))))


def file_lock_key(sha256: str) -> int:
    """The advisory lock's key: the hash's first 60 bits, a positive bigint."""
    return int(sha256[:15], 16)


def close_batch(session: Session, batch: ImportBatch, attempt: Attempt) -> None:
    _counts(batch, attempt)
    batch.finished_at = utcnow()
    notes = attempt.run.notes.listed() if attempt.run else []
    if notes:
        session.execute(insert(ImportProblem), _problem_rows(batch.id, notes))
