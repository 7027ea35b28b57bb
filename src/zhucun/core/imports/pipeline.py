"""Reading, checking and writing a file batch by batch, so that the database stores one batch
while the next is read, checked and prepared: the two halves of an import then run on two
processor cores (the database server's and ours) instead of one after the other.

All of it happens in the import's one transaction, which only the service commits, and only
when every batch of the file was good; the first error stops the writing (the checks go
on, to report every error), and the transaction is rolled back. A file whose households
are not grouped (a household's rows in two batches) is checked again whole and written
in one go.

On PostgreSQL the batch row is written first, so that a second import of the same file
waits on its unique index before it reads anything; ids come from sequences through a
connection of their own (sequences ignore transactions anyway), so that preparing a batch
never waits for the one being stored. On SQLite, whose one writer locks the whole
database, the batches are written once the file is checked, so that the lock is not held
while it is read.
"""

from __future__ import annotations

import datetime as dt
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from zhucun.core.db import utcnow
from zhucun.core.ids import allocate
from zhucun.core.imports import batches as batching
from zhucun.core.imports import history
from zhucun.core.imports.checks import Ledger
from zhucun.core.imports.kinds import Batch, Kind, Run
from zhucun.core.imports.lookup import Lookup
from zhucun.core.imports.problems import Problems
from zhucun.core.imports.readers import Table, chunks, no_rows, read_table
from zhucun.core.imports.runtime import quick_thread_switches
from zhucun.core.imports.writer import Allocate, Rows, Written, allocator, store
from zhucun.core.protect import Protector
from zhucun.core.scope import Scope

if TYPE_CHECKING:
    from zhucun.core.imports.models import ImportBatch
    from zhucun.core.imports.service import Attempt

Progress = Callable[[str, int], None]


@dataclass
class Writer:
    """Stores prepared batches in the import's transaction, in a thread of its own, while the
    reading goes on; the session is shared under ``lock``, which every use of it holds."""

    session: Session
    attempt: Attempt
    protector: Protector
    lock: threading.RLock = field(default_factory=threading.RLock)
    batch: ImportBatch | None = None
    written: Written = field(default_factory=Written)
    error: BaseException | None = None
    stopped: bool = False

    def __post_init__(self) -> None:
        # A few batches ahead at most: the reading waits rather than holding the file in memory.
        self._queue: queue.Queue[Rows | None] = queue.Queue(maxsize=4)
        self._thread: threading.Thread | None = None

    def open(self) -> ImportBatch:
        if self.batch is None:  # once, before any batch is stored: no lock to wait for afterwards
            with self.lock:
                self.batch = history.open_batch(self.session, self.attempt)
        return self.batch

    def put(self, rows: Rows) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="import-writer", daemon=True)
            self._thread.start()
        self._queue.put(rows)

    def stop(self) -> None:
        """Store nothing more (what was stored is rolled back with the transaction)."""
        self.stopped = True

    def finish(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def write(self, batch: Batch) -> None:
        """Prepare and store one batch now, in this thread."""
        import_id = self.open().id
        with self.lock:
            rows = self.attempt.kind.prepare(
                batch.checked,
                batch.hashes,
                allocate=allocator(self.session),
                import_id=import_id,
                protector=self.protector,
                now=utcnow(),
            )
            self.written += store(self.session, rows)

    def _run(self) -> None:
        while (rows := self._queue.get()) is not None:
            if self.stopped or self.error is not None:
                continue
            try:
                with self.lock:
                    self.written += store(self.session, rows)
            except BaseException as error:
                self.error = error


def check_and_write(
    session: Session,
    attempt: Attempt,
    scope: Scope,
    protector: Protector,
    today: dt.date,
    cap: int,
    progress: Progress | None = None,
) -> tuple[Run, Writer | None]:
    """Read and check every batch; unless it is a dry run, write the file as it goes."""
    kind = attempt.kind
    writer = None if attempt.dry_run else Writer(session, attempt, protector)
    streaming = writer is not None and session.get_bind().dialect.name == "postgresql"
    stream_to = writer if streaming else None  # the writer, when it stores batches as they are checked
    info = attempt.info
    assert info is not None  # the file is inspected before it is checked
    lookup = Lookup(session, scope, kind, writer.lock if writer else None)
    run = Run(kind, Problems(cap), keep=writer is not None and not streaming)
    ledger = Ledger(run.problems, notes=run.notes, max_age=attempt.max_age)
    regroup = False
    with _side_ids(session, streaming) as ids, quick_thread_switches() if streaming else nullcontext():
        if stream_to is not None:
            stream_to.open()
        try:
            with chunks(attempt.source, info, kind.columns(), kind.column_for) as parts:
                for table in batching.batches(parts, kind.household_key, batching.BATCH):
                    regroup = kind.reopens(table, ledger)
                    if regroup:
                        break
                    batch = _check(kind, lookup, table, ledger, protector, today)
                    run.add(batch)
                    if stream_to is not None and ids is not None:  # both set when streaming
                        _hand_on(stream_to, run, batch, ids, progress)
                    if writer is not None and writer.error is not None:
                        break
        except BaseException:
            if writer is not None:
                writer.stop()  # the file cannot be imported: store nothing more of it
            raise
        finally:
            if writer is not None:
                writer.finish()
    if regroup:
        return _regrouped(session, attempt, writer, lookup, protector, today, cap, progress)
    if not run.rows:
        raise no_rows()
    if writer is not None and not streaming and not run.problems:
        _write_after(session, writer, run, progress)
    return run, writer


@contextmanager
def _side_ids(session: Session, streaming: bool) -> Iterator[Allocate | None]:
    """Ids for the batches being prepared, from a connection of the import's own."""
    if not streaming:
        yield None
        return
    connection = session.get_bind().engine.connect()
    side = Session(bind=connection)
    try:

        def take(table: str, count: int) -> int:
            first = allocate(side, table, count)
            side.commit()
            return first

        yield take
    finally:
        side.close()
        connection.close()


def _check(kind: Kind, lookup: Lookup, table: Table, ledger: Ledger, protector: Protector, today: dt.date) -> Batch:
    checked = kind.check(table, lookup.facts(table), today=today, ledger=ledger)
    hashes = kind.hash(checked, protector)
    kind.check_registered(checked, hashes, lookup.registered(kind.counties(checked)))
    ledger.problems.trim()
    return Batch(table, checked, hashes)


def _hand_on(writer: Writer, run: Run, batch: Batch, ids: Allocate, progress: Progress | None) -> None:
    if writer.stopped:
        return
    if run.problems:
        writer.stop()
        return
    if progress is not None and run.rows == len(batch.table):
        progress("writing", run.rows)
    rows = run.kind.prepare(
        batch.checked, batch.hashes, allocate=ids, import_id=writer.open().id, protector=writer.protector, now=utcnow()
    )
    writer.put(rows.encoded())  # encoded here: the writing thread then hardly needs the interpreter


def _write_after(session: Session, writer: Writer, run: Run, progress: Progress | None) -> None:
    """Write every batch of a checked file, in a transaction of its own (SQLite)."""
    session.rollback()  # the reads end here; the writes take the lock from now on
    if progress is not None:
        progress("writing", run.rows)
    try:
        for batch in run.batches:
            writer.write(batch)
    except Exception as error:
        writer.error = error


def _regrouped(
    session: Session,
    attempt: Attempt,
    writer: Writer | None,
    lookup: Lookup,
    protector: Protector,
    today: dt.date,
    cap: int,
    progress: Progress | None,
) -> tuple[Run, Writer | None]:
    """A household's rows are spread over the file: read and check the whole file again as one
    batch (what was written is thrown away), and write it in one go."""
    kind = attempt.kind
    if writer is not None:
        writer.stop()
        session.rollback()
        writer = Writer(session, attempt, protector)
    run = Run(kind, Problems(cap), keep=True)
    assert attempt.info is not None  # checked once already
    whole = read_table(attempt.source, attempt.info, kind.columns(), kind.column_for)
    ledger = Ledger(run.problems, notes=run.notes, max_age=attempt.max_age)
    run.add(_check(kind, lookup, whole, ledger, protector, today))
    if writer is not None and not run.problems:
        _write_after(session, writer, run, progress)
    return run, writer
