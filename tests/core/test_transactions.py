"""One transaction boundary: use cases commit or roll back through ``core.tx`` only, so that
no helper can end a transaction half-way; an integrity race is a 409."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import zhucun
from zhucun.core.errors import Conflict, Invalid
from zhucun.core.tx import as_conflict, conflict, transaction, use_case
from zhucun.divisions.models import Division

PACKAGE = Path(zhucun.__file__).parent
# Migrations run on Alembic's own connection, outside any request or use case.
OUTSIDE = {PACKAGE / "migrations"}


def _transaction_calls() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(PACKAGE / "core") or any(path.is_relative_to(p) for p in OUTSIDE):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
            ):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: .{node.func.attr}()")
    return found


def test_nothing_outside_core_commits_or_rolls_back():
    assert _transaction_calls() == []


def test_the_source_check_finds_a_commit(tmp_path, monkeypatch):
    """The check above is not vacuous: a commit in a mechanism's module is found."""
    fake = tmp_path / "zhucun"
    (fake / "registry").mkdir(parents=True)
    (fake / "registry" / "service.py").write_text("def f(session):\n    session.commit()\n")
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    assert _transaction_calls() == ["registry/service.py:2: .commit()"]


@use_case
def _rename(session, *, code: str, name: str, fail: bool = False) -> None:
    session.get(Division, code).name = name
    session.flush()
    if fail:
        raise Invalid("no", field="name")


def test_a_use_case_commits_on_success_and_rolls_back_on_error(session, world):
    code = world.a.village
    before = session.get(Division, code).name
    with pytest.raises(Invalid):
        _rename(session, code=code, name="失败村", fail=True)
    assert session.scalar(select(Division.name).where(Division.code == code)) == before
    _rename(session, code=code, name="改名村")
    session.expire_all()
    assert session.scalar(select(Division.name).where(Division.code == code)) == "改名村"


def test_a_nested_use_case_joins_the_outer_one(session, world):
    code = world.a.village
    before = session.get(Division, code).name
    with pytest.raises(Invalid), transaction(session):
        _rename(session, code=code, name="内层村")  # joins: not committed on its own
        raise Invalid("outer fails", field="x")
    assert session.scalar(select(Division.name).where(Division.code == code)) == before


def test_an_integrity_error_is_a_located_conflict(session, world):
    conflict("uq_test_constraint_name", "household_no", "号码已被占用")

    @use_case
    def clash(session) -> None:
        raise IntegrityError("INSERT …", {}, Exception('duplicate key violates "uq_test_constraint_name"'))

    with pytest.raises(Conflict) as caught:
        clash(session)
    assert caught.value.status == 409
    assert caught.value.field == "household_no"


def test_sqlite_names_a_unique_constraint_by_its_columns():
    """SQLite names the columns, not the constraint: the metadata maps them back."""
    import zhucun.models  # noqa: F401  (every mechanism's tables and conflicts)

    error = IntegrityError(
        "INSERT …", {}, Exception("UNIQUE constraint failed: households.county_code, households.household_no")
    )
    answer = as_conflict(error)
    assert (answer.status, answer.field) == (409, "household_no")


def test_citus_names_a_shards_constraint_and_the_declared_one_is_found():
    """Citus reports a shard's constraint ("…_102008"); the conflict is the declared one's."""
    import zhucun.models  # noqa: F401  (every mechanism's tables and conflicts)
    from zhucun.core.tx import CONFLICTS

    declared = next(name for name, (field, _message) in CONFLICTS.items() if field == "username")

    class Diag:
        constraint_name = f"{declared}_102008"

    class Orig(Exception):
        diag = Diag()

    answer = as_conflict(IntegrityError("INSERT …", {}, Orig("duplicate key")))
    assert (answer.status, answer.field) == (409, "username")
    Diag.constraint_name = "not_declared_102008"
    assert as_conflict(IntegrityError("INSERT …", {}, Orig("duplicate key"))).field is None


@pytest.mark.parametrize("relation", ["02", "01"])
def test_a_second_head_is_refused_by_the_database_as_a_located_conflict(session, world, relation):
    """The one-head rule holds even for a write that skipped the service's check."""
    from zhucun.registry.models import Member

    head = session.scalars(
        select(Member).where(Member.household_id == world.a.household_id, Member.relation.in_(("01", "02")))
    ).one()

    @use_case
    def second_head(session) -> None:
        session.add(
            Member(
                county_code=head.county_code,
                id=2**40,
                household_id=head.household_id,
                village_code=head.village_code,
                name="第二户主",
                relation=relation,
                status="1",
            )
        )
        session.flush()

    with pytest.raises(Conflict) as caught:
        second_head(session)
    assert (caught.value.status, caught.value.field) == (409, "relation")
