"""A file is imported once: two imports of the same file running at the same time, each in
its own connection, end with one import done and the other refused with 409."""

from __future__ import annotations

import hashlib
import threading

import pytest
from sqlalchemy import func, select

from tests.conftest import BACKEND
from tests.factories.imports import csv_bytes, member_rows
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict
from zhucun.core.imports import service
from zhucun.core.imports.files import Source
from zhucun.core.imports.history import file_lock_key
from zhucun.core.imports.models import ImportBatch
from zhucun.core.scope import Scope, bind
from zhucun.registry.import_kind import import_members, sample
from zhucun.registry.models import Member


def test_concurrent_imports_of_the_same_file_import_it_once(fresh):
    data = csv_bytes(sample.MEMBER_HEADERS, member_rows(fresh.villages[:4], 300, seed=90))
    both_checked = threading.Barrier(2, timeout=60)  # neither saw the other's import done
    outcomes: list[object] = []

    def importer(name: str) -> None:
        db = fresh.database()
        session = bind(db.session(write=True), Scope.everywhere())
        try:
            outcomes.append(
                service.import_file(
                    session,
                    "members",
                    actor=Principal.system(),
                    source=Source.of_bytes(data, name),
                    settings=fresh.settings,
                    progress=lambda stage, count: stage == "reading" and both_checked.wait(),
                )
            )  # both past the check
        except Exception as error:
            outcomes.append(error)
        finally:
            session.close()
            db.dispose()

    threads = [threading.Thread(target=importer, args=(f"copy{i}.csv",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    done = [o for o in outcomes if isinstance(o, service.Outcome)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(done), len(refused)) == (1, 1), outcomes
    assert refused[0].status == 409 and refused[0].params["number"] == done[0].import_id
    db = fresh.database()
    with db.begin(write=False) as session:
        assert session.scalar(select(func.count()).select_from(Member)) == 300
        statuses = session.scalars(select(ImportBatch.status)).all()
    db.dispose()
    assert statuses == ["done"]


@pytest.mark.skipif(BACKEND != "postgresql", reason="advisory locks are PostgreSQL's")
def test_an_import_waits_for_the_lock_on_its_file_before_writing(fresh):
    """On Citus two runs writing their batch rows at once deadlock across nodes: a run takes an
    advisory lock on the file's hash on the coordinator before it writes anything."""
    data = csv_bytes(sample.MEMBER_HEADERS, member_rows(fresh.villages[:2], 40, seed=91))
    outcomes: list[object] = []
    holder = fresh.database()
    with holder.engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(select(func.pg_advisory_xact_lock(file_lock_key(hashlib.sha256(data).hexdigest()))))

        def importer() -> None:
            db = fresh.database()
            session = bind(db.session(write=True), Scope.everywhere())
            try:
                outcomes.append(
                    import_members(
                        session,
                        actor=Principal.system(),
                        source=Source.of_bytes(data, "a.csv"),
                        settings=fresh.settings,
                    )
                )
            except Exception as error:
                outcomes.append(error)
            finally:
                session.close()
                db.dispose()

        thread = threading.Thread(target=importer)
        thread.start()
        thread.join(timeout=3)
        waited = thread.is_alive()
        transaction.rollback()
    thread.join(timeout=120)
    holder.dispose()
    assert waited, f"the import did not wait for the lock on its file: {outcomes}"
    assert len(outcomes) == 1 and isinstance(outcomes[0], service.Outcome), outcomes
