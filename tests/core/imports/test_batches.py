"""A file read, checked and written in many batches gives what one batch gives: the same
rows, the same errors (a person twice across batches, an error in the last batch), and
households whose rows are spread over the file are checked and written whole."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.factories.imports import csv_bytes, member_rows
from zhucun.core.auth import Principal
from zhucun.core.imports import batches, service
from zhucun.core.imports.files import Source
from zhucun.core.imports.problems import ImportRejected
from zhucun.registry.import_kind import sample
from zhucun.registry.models import Household, Member

HEADERS = sample.MEMBER_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(batches, "BATCH", 7)


def run(session, settings, rows, name="f.csv"):
    data = rows if isinstance(rows, bytes) else csv_bytes(HEADERS, rows)
    return service.import_file(
        session, "members", actor=Principal.system(), settings=settings, source=Source.of_bytes(data, name)
    )


def members_of(session, number: str) -> int:
    household = session.scalars(select(Household).where(Household.household_no == number)).one()
    assert household.member_count == session.scalar(
        select(func.count()).select_from(Member).where(Member.household_id == household.id)
    )
    return household.member_count


def test_many_batches_write_every_household_whole(session, settings, world):
    rows = member_rows([world.a.village], 60, seed=110)
    outcome = run(session, settings, rows)
    assert (outcome.counts["members"], outcome.counts["households"]) == (60, len({r[0] for r in rows}))
    for number in {r[0] for r in rows}:
        assert members_of(session, number) == sum(r[0] == number for r in rows)


def test_errors_across_batches_and_in_the_last_one(session, settings, world):
    rows = member_rows([world.a.village], 60, seed=111)
    for header in ("证件号码", "性别", "出生日期"):
        rows[45][COLUMN[header]] = rows[2][COLUMN[header]]
    rows[59][COLUMN["民族"]] = "?"
    before = session.scalar(select(func.count()).select_from(Member))
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, rows)
    assert [(e.row, e.code) for e in refused.value.errors] == [(47, "id_twice"), (61, "bad_code")]
    assert session.scalar(select(func.count()).select_from(Member)) == before


def test_households_spread_over_the_file(session, settings, world):
    rows = member_rows([world.a.village], 40, seed=112)
    first = rows[0][0]
    spread = [r for r in rows if r[0] != first] + [r for r in rows if r[0] == first][1:]
    spread.insert(0, next(r for r in rows if r[0] == first))  # the head first, the others at the end
    outcome = run(session, settings, spread)
    assert outcome.counts["members"] == 40 and members_of(session, first) == sum(r[0] == first for r in rows)


def test_a_file_that_breaks_late_is_refused_and_nothing_is_kept(session, settings, world):
    rows = member_rows([world.a.village], 400, seed=113)
    data = csv_bytes(HEADERS, rows, encoding="utf-8")
    cut = data.index(rows[350][COLUMN["姓名"]].encode())
    broken = data[:cut] + b"\xff\xfe" + data[cut:]  # not UTF-8, found well after the first 64 KB
    before = session.scalar(select(func.count()).select_from(Member))
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, broken, "broken.csv")
    assert [(e.row, e.code) for e in refused.value.errors] == [(352, "bad_encoding")]
    assert session.scalar(select(func.count()).select_from(Member)) == before
