"""The one transaction boundary: a use case runs in one transaction that commits when it
returns and rolls back when anything goes wrong, by itself.

Service functions are decorated with ``@use_case`` (zulip's ``transaction.atomic`` actions,
warehouse's request transaction): they write, audit and return, and never commit or roll
back themselves, so that helpers they call cannot end the transaction half-way and a bulk
import or a workflow step is all or nothing. A use case called from another joins the
outer one. Code that is not a use case but must commit before it streams (an export that
audits first, a reveal) uses ``with transaction(session):``. Nothing outside ``core`` calls
``commit()`` or ``rollback()`` (a test reads the source).

An integrity error — two requests that both passed a check and then met at a unique index —
becomes a located 409 with a translated message, never a 500: the constraint's name says
which field, through ``CONFLICTS``, which mechanisms extend.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint, inspect, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from .errors import Conflict, NotFound
from .i18n import _l

P = ParamSpec("P")
R = TypeVar("R")
ACTIVE = "zhucun_use_case"

# Constraint (or index) name → (field, message) for the 409 a race ends in.
CONFLICTS: dict[str, tuple[str | None, Any]] = {}
RACE = _l("Someone else changed this at the same moment. Reload the page and try again.")
BUSY = _l("The database is busy with another change. Try again in a moment.")


def conflict(constraint: str, field: str | None, message: Any) -> None:
    """Declare what a unique constraint means to the person whose change it refused."""
    CONFLICTS[constraint] = (field, message)


def as_conflict(error: IntegrityError | OperationalError) -> Conflict:
    """A database refusal as the 409 to answer: the field and message the constraint names."""
    if isinstance(error, OperationalError):
        return Conflict(BUSY, code="busy")
    name = constraint_of(error)
    if name in CONFLICTS:
        field, message = CONFLICTS[name]
        return Conflict(message, field=field, code="conflict")
    return Conflict(RACE, code="conflict")


def constraint_of(error: IntegrityError) -> str | None:
    """The name of the constraint a write broke: PostgreSQL names it in the error's
    diagnostics; SQLite names only the columns of a unique one ("UNIQUE constraint failed:
    members.county_code, members.id_hash"), which the metadata maps back to its name."""
    diag = getattr(getattr(error, "orig", None), "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return unsharded(str(diag.constraint_name))
    text = str(getattr(error, "orig", error))
    for name in CONFLICTS:
        if name in text:
            return name
    marker = "UNIQUE constraint failed: "
    if marker in text:
        return _sqlite_unique_names().get(text.split(marker, 1)[1].strip())
    return None


def unsharded(name: str) -> str:
    """Citus reports a constraint of a shard under the shard's name ("uq_users_username_102008"
    for "uq_users_username"): the declared name, when the suffix is a shard's id."""
    if name in CONFLICTS:
        return name
    base, _, suffix = name.rpartition("_")
    return base if suffix.isdigit() and base in CONFLICTS else name


def _sqlite_unique_names() -> dict[str, str]:
    """ "table.column, table.column" → the name of the unique constraint or index on them."""
    from .db import Base  # the metadata holds every mechanism's tables once the app is built

    names: dict[str, str] = {}
    for table in Base.metadata.tables.values():
        uniques: list[Any] = [c for c in table.constraints if isinstance(c, UniqueConstraint | PrimaryKeyConstraint)]
        uniques += [i for i in table.indexes if i.unique]
        for item in uniques:
            columns = ", ".join(f"{table.name}.{column.name}" for column in item.columns)
            if columns and item.name:
                names.setdefault(columns, str(item.name))
    return names


# Answers that mean "another transaction was in the way", never a fault in the request:
# SQLite's lock wait running out, PostgreSQL breaking a deadlock or a lock wait.
BUSY_SIGNS = ("database is locked", "deadlock detected", "could not serialize", "lock timeout")


def is_busy(error: OperationalError) -> bool:
    text = str(getattr(error, "orig", error))
    return any(sign in text for sign in BUSY_SIGNS)


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """Everything inside commits together, or nothing does; joins a use case already running."""
    if session.info.get(ACTIVE):
        yield session
        return
    session.info[ACTIVE] = True
    try:
        yield session
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise as_conflict(exc) from None
    except OperationalError as exc:
        session.rollback()
        if is_busy(exc):
            raise as_conflict(exc) from None
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(ACTIVE, None)


def use_case(func: Callable[P, R]) -> Callable[P, R]:
    """Run a service function (whose first argument is the session) as one transaction."""

    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        session = args[0] if args else kwargs["session"]
        assert isinstance(session, Session), f"{func.__qualname__}: the session comes first"
        with transaction(session):
            return func(*args, **kwargs)

    return run


def discard(session: Session) -> None:
    """Forget what a read-only step loaded or flushed, outside any use case (a dry run, a
    form shown again after a refusal)."""
    session.rollback()


def lock(session: Session, model: type[R], *key: Any) -> R | None:
    """The row of ``model`` with this primary key, locked until the transaction ends, read
    afresh: a use case locks what it will change before it reads what it checks, so that
    two requests on one household run one after the other (SQLite's single writer is
    serialised at BEGIN IMMEDIATE already)."""
    columns = inspect(model).primary_key
    statement = select(model).where(*(column == value for column, value in zip(columns, key)))
    if session.get_bind().dialect.name == "postgresql":
        statement = statement.with_for_update()
    return session.scalars(statement.execution_options(populate_existing=True)).one_or_none()


def relock(session: Session, row: R) -> R:
    """``row``, already loaded (a route found it through the scope), locked and read again:
    what a use case checks and records as "before" is then what the last writer committed,
    not what the route read before it waited. Its pending loads are dropped first so that
    relationships (an account's grants) are read afresh too."""
    state = inspect(row)
    if state.identity is None:
        return row
    session.expire(row)
    locked = lock(session, type(row), *state.identity)
    if locked is None:  # removed, or moved out of the scope, while we waited
        raise NotFound()
    return locked
