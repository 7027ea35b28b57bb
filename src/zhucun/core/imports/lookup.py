"""What the database knows that a file's checks need, fetched in bulk: each division once
per import, when the file first names it, and the ID hashes already registered in the
counties the file names. A kind's own facts (households taken, units…) are read by its
loader through the same lookup, under the same lock.

These reads use Core statements on purpose: a person registered in another township of
the county, or a dispatching unit seated in the provincial capital, must be found even
when the importer may not see them (the answers only say "already registered" or name
what the file gave), and the scope is applied to the file's own places by the checks.

The session is shared with the thread that writes earlier batches, so every read holds
the import's lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from zhucun.core.db import Base, chunked
from zhucun.core.imports.checks import Divisions, division_codes
from zhucun.core.imports.models import ImportBatch
from zhucun.core.imports.readers import Table
from zhucun.core.scope import Scope

if TYPE_CHECKING:
    from zhucun.core.imports.kinds import Kind

IN_LIST = 500


class Lookup:
    """The facts of one import, grown as its batches name new places."""

    def __init__(self, session: Session, scope: Scope, kind: Kind, lock: AbstractContextManager[object] | None = None):
        self.session, self.kind = session, kind
        self.lock = lock or nullcontext()
        self.divisions = Divisions({}, scope.covers)
        self.looked_up: set[str] = set()
        self.hashes: set[str] = set()
        self.hashed_counties: set[str] = set()
        self._facts = kind.facts(self)

    def facts(self, table: Table) -> Any:
        """The kind's facts for one more batch."""
        return self._facts(table)

    def look_up(self, codes: set[str]) -> set[str]:
        """Levels of the divisions not yet looked up (into ``divisions``); returns those codes."""
        new = codes - self.looked_up
        if new:
            # By name: the divisions are a mechanism's table, which core does not import.
            divisions = Base.metadata.tables["divisions"]
            with self.lock:
                for part in chunked(sorted(new), IN_LIST):
                    rows = self.session.execute(
                        select(divisions.c.code, divisions.c.level).where(divisions.c.code.in_(part))
                    )
                    self.divisions.levels.update(dict(rows.all()))
            self.looked_up |= new
        return new

    def registered(self, counties: Iterable[str]) -> set[str]:
        """ID lookup hashes of the people the kind already holds in these counties."""
        new = set(counties) - self.hashed_counties
        if new and self.kind.registered is not None:
            table = self.kind.registered()
            statement = select(table.c.id_hash).where(
                table.c.county_code.in_(sorted(new)), table.c.id_hash.is_not(None)
            )
            with self.lock:
                self.hashes |= {digest for (digest,) in fetch(self.session, statement)}
        self.hashed_counties |= new
        return self.hashes

    def read(self, statement: Select[Any]) -> Sequence[tuple[Any, ...]]:
        """A kind's own bulk read, under the import's lock."""
        with self.lock:
            return fetch(self.session, statement)


def places_named(field: str) -> Callable[[Lookup], Callable[[Table], Divisions]]:
    """The facts of a kind whose checks need nothing from the database but the divisions its
    ``field`` names (each looked up once per import)."""

    def facts(lookup: Lookup) -> Callable[[Table], Divisions]:
        def of(table: Table) -> Divisions:
            lookup.look_up(division_codes(table.values(field)))
            return lookup.divisions

        return of

    return facts


def fetch(session: Session, statement: Select[Any]) -> Sequence[tuple[Any, ...]]:
    """All rows of a large read, through the driver's own cursor: a county's million hashes
    come back in a fraction of the time SQLAlchemy's per-row result takes. The statement's
    parameters are codes (digits only), inlined by the dialect."""
    compiled = statement.compile(dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True})
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(str(compiled))
        return cursor.fetchall()
    finally:
        cursor.close()


def done_batch(session: Session, kind: str, sha256: str) -> tuple[int, dt.datetime | None] | None:
    """The earlier import of the same file, if there was one: (its number, when it finished)."""
    batches = ImportBatch.__table__
    return session.execute(
        select(batches.c.id, batches.c.finished_at).where(
            batches.c.kind == kind, batches.c.sha256 == sha256, batches.c.status == "done"
        )
    ).first()
