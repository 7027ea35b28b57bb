"""Importing into the real database: a good file writes the right households, heads, members
and incomes with protected numbers; a bad one is refused whole, writes nothing and keeps its
report; a file is imported once; the importer's scope holds."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories.imports import csv_bytes, member_rows, xlsx_bytes
from tests.factories.world import World
from zhucun.config import Settings
from zhucun.core.audit import AuditEntry
from zhucun.core.auth import Principal
from zhucun.core.errors import Conflict
from zhucun.core.imports import service
from zhucun.core.imports.files import Source
from zhucun.core.imports.models import ImportBatch, ImportProblem
from zhucun.core.imports.problems import ImportRejected
from zhucun.core.models import User
from zhucun.core.permissions import Role
from zhucun.core.protect import Protector
from zhucun.core.scope import bind
from zhucun.registry.import_kind import sample
from zhucun.registry.models import Household, HouseholdIncome, Member
from zhucun.registry.permissions import HOUSEHOLD_IMPORT as IMPORT_WRITE

HEADERS = sample.MEMBER_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}
REGISTRY = (Household, Member, HouseholdIncome)


def counts(session: Session) -> dict[str, int]:
    return {model.__tablename__: session.scalar(select(func.count()).select_from(model)) for model in REGISTRY}


def run(
    session: Session, settings: Settings, data: bytes, filename: str = "members.csv", *, dry_run: bool = False
) -> service.Outcome:
    return service.import_file(
        session,
        "members",
        actor=Principal.system(),
        source=Source.of_bytes(data, filename),
        settings=settings,
        dry_run=dry_run,
    )


def villages(world: World) -> list[str]:
    return [world.a.village]


def put(row: list[str], header: str, value: str) -> None:
    row[COLUMN[header]] = value


def test_a_good_file_writes_households_heads_members_and_incomes(session, settings, world):
    rows = member_rows(villages(world), 40, seed=21)
    before = counts(session)
    outcome = run(session, settings, csv_bytes(HEADERS, rows))
    households = {r[0] for r in rows}
    assert (outcome.counts["households"], outcome.counts["members"], outcome.counts["incomes"]) == (
        len(households),
        40,
        len(households),
    )
    after = counts(session)
    assert after["households"] - before["households"] == len(households)
    assert after["members"] - before["members"] == 40
    assert after["household_incomes"] - before["household_incomes"] == len(households)
    batch = session.get(ImportBatch, outcome.import_id)
    assert (batch.status, batch.rows, batch.households, batch.members, batch.errors) == (
        "done",
        40,
        len(households),
        40,
        0,
    )
    assert batch.division_code == world.a.village and batch.actor_name == "system"
    first = rows[0]
    household = session.scalars(select(Household).where(Household.household_no == first[0])).one()
    assert household.head_name == first[COLUMN["姓名"]] and household.import_id == outcome.import_id
    assert household.member_count == sum(r[0] == first[0] for r in rows)
    assert household.attribute in ("1", "2", "3") and household.registered_year == int(first[COLUMN["识别年度"]])
    income = session.get(HouseholdIncome, (household.county_code, household.id, 2024))
    assert str(income.wage) == f"{int(first[COLUMN['工资性收入']]):.2f}"
    members = session.scalars(select(Member).where(Member.household_id == household.id).order_by(Member.id)).all()
    assert [m.name for m in members] == [r[COLUMN["姓名"]] for r in rows if r[0] == first[0]]
    head = members[0]
    protector = Protector.of(settings)
    number = first[COLUMN["证件号码"]]
    assert head.relation == "02" and head.import_id == outcome.import_id
    assert protector.reveal(head.id_cipher) == number and head.id_hash == protector.lookup(number)
    assert head.id_masked == number[:6] + "********" + number[14:]
    assert str(head.birth_date) == first[COLUMN["出生日期"]]


def test_one_audit_entry_in_the_county_chain(session, settings, world):
    before = session.scalar(select(func.count()).select_from(AuditEntry))
    outcome = run(session, settings, csv_bytes(HEADERS, member_rows(villages(world), 10, seed=22)))
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "registry:members:imported")).all()
    assert session.scalar(select(func.count()).select_from(AuditEntry)) == before + 1
    assert [(e.county_code, e.entity_id, e.after["members"]) for e in entries] == [
        (world.a.county[:6], str(outcome.import_id), 10)
    ]
    assert len(entries[0].after["sha256"]) == 64


def test_a_workbook_imports_the_same(session, settings, world, tmp_path: Path):
    rows = member_rows(villages(world), 25, seed=23)
    outcome = run(session, settings, xlsx_bytes(tmp_path, HEADERS, rows), "members.xlsx")
    assert outcome.counts["members"] == 25
    names = set(session.scalars(select(Member.name).where(Member.import_id == outcome.import_id)))
    assert names == {r[COLUMN["姓名"]] for r in rows}


def _bad_header(rows: list[list[str]]) -> tuple[list[str], list[list[str]], set]:
    return ["户号码", *HEADERS[1:]], rows, {(1, "A", "unknown_column"), (1, None, "missing_column")}


def _bad_id(rows):
    put(rows[1], "证件号码", rows[1][COLUMN["证件号码"]][:-1] + "Y")
    return HEADERS, rows, {(3, "E", "bad_id")}


def _twice(rows):
    for header in ("证件号码", "性别", "出生日期"):
        put(rows[3], header, rows[0][COLUMN[header]])
    return HEADERS, rows, {(5, "E", "id_twice")}


def _unknown_village(rows):
    for row in rows:
        if row[0] == rows[0][0]:
            put(row, "行政区划代码", "522799999299")
    return HEADERS, rows, {(i + 2, "B", "bad_division") for i, r in enumerate(rows) if r[0] == rows[0][0]}


def _bad_number_and_date(rows):
    put(rows[2], "务工时间（月）", "十二")
    put(rows[4], "出生日期", "1990-13-01")
    return HEADERS, rows, {(4, "P", "bad_int"), (6, "H", "bad_date")}


BAD_FILES = {
    "header": _bad_header,
    "id": _bad_id,
    "duplicate": _twice,
    "village": _unknown_village,
    "number_and_date": _bad_number_and_date,
}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_whole_and_nothing_is_written(session, settings, world, tmp_path, case, fmt):
    headers, rows, expected = BAD_FILES[case](member_rows(villages(world), 8, seed=24))
    data = csv_bytes(headers, rows) if fmt == "csv" else xlsx_bytes(tmp_path, headers, rows)
    before = counts(session)
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, data, f"bad.{fmt}")
    assert counts(session) == before
    assert {(e.row, e.column, e.code) for e in refused.value.errors} == expected
    batch = session.get(ImportBatch, refused.value.import_id)
    assert (batch.status, batch.errors) == ("rejected", len(expected))
    stored = session.scalars(select(ImportProblem).where(ImportProblem.import_id == batch.id)).all()
    assert {(p.row_number, p.column_letter, p.code) for p in stored} == expected
    assert all(p.message_zh and p.message_en for p in stored)


def _zip_bomb(tmp_path: Path, rows) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes(tmp_path, HEADERS, rows)), "r") as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/media/padding.bin", b"\x00" * (80 << 20))
    return out.getvalue()


def _macro(tmp_path: Path, rows) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes(tmp_path, HEADERS, rows)), "r") as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, source.read(info))
        target.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 macros")
    return out.getvalue()


@pytest.mark.parametrize("make, code", [(_zip_bomb, "zip_bomb"), (_macro, "macro_refused")])
def test_dangerous_workbooks_are_refused_before_they_are_opened(session, settings, world, tmp_path, make, code):
    data = make(tmp_path, member_rows(villages(world), 5, seed=25))
    before = counts(session)
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, data, "members.xlsm")
    assert counts(session) == before
    assert [e.code for e in refused.value.errors] == [code]
    assert session.get(ImportBatch, refused.value.import_id).status == "rejected"


def test_a_dry_run_writes_nothing_but_the_history(session, settings, world):
    before = counts(session)
    outcome = run(session, settings, csv_bytes(HEADERS, member_rows(villages(world), 9, seed=26)), dry_run=True)
    assert counts(session) == before and outcome.dry_run and outcome.counts["members"] == 9
    assert session.get(ImportBatch, outcome.import_id).status == "checked"
    assert outcome.preview[0]["证件号码"].count("*") == 8
    # Catalogue cells read back as the labels the clerk typed, not the codes they became.
    from zhucun.registry.catalogues import RELATION

    relations = {row["与户主关系"] for row in outcome.preview}
    assert relations and relations <= {RELATION.label(code) for code in RELATION.items}


def test_the_same_file_twice_is_refused(session, settings, world):
    data = csv_bytes(HEADERS, member_rows(villages(world), 6, seed=27))
    first = run(session, settings, data)
    before = counts(session)
    with pytest.raises(Conflict) as again:
        run(session, settings, data, "renamed.csv")
    assert again.value.status == 409 and again.value.params["number"] == first.import_id
    assert counts(session) == before


def test_one_person_one_household_across_imports(session, settings, world):
    rows = member_rows(villages(world), 6, seed=28)
    run(session, settings, csv_bytes(HEADERS, rows))
    again = member_rows(villages(world), 6, seed=29, start=500)
    for header in ("证件号码", "性别", "出生日期"):
        put(again[1], header, rows[2][COLUMN[header]])
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, csv_bytes(HEADERS, again))
    assert [(e.row, e.column, e.code) for e in refused.value.errors] == [(3, "E", "already_registered")]


def test_household_numbers_already_taken(session, settings, world):
    rows = member_rows(villages(world), 5, seed=30)
    run(session, settings, csv_bytes(HEADERS, rows))
    again = member_rows(villages(world), 5, seed=31, start=900)
    for row in again:
        if row[0] == again[0][0]:
            put(row, "户编号", rows[0][0])
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, csv_bytes(HEADERS, again))
    assert [(e.row, e.column, e.code) for e in refused.value.errors] == [(2, "A", "household_registered")]


def _township(session: Session, world: World) -> Principal:
    user = session.scalars(select(User).where(User.username == world.a.users[Role.TOWNSHIP])).one()
    principal = Principal.of(user)
    bind(session, principal.scope_for(IMPORT_WRITE))
    return principal


def test_a_township_imports_its_own_villages_and_no_others(session, settings, world):
    from zhucun.divisions.models import Division

    other = session.scalars(
        select(Division.code).where(
            Division.level == "village",
            ~Division.code.startswith(world.a.township[:9]),
            Division.code.startswith(world.a.county[:6]),
        )
    ).first()
    principal = _township(session, world)
    rows = member_rows([world.a.village, other], 8, seed=32)
    before = counts(session)
    with pytest.raises(ImportRejected) as refused:
        service.import_file(
            session,
            "members",
            actor=principal,
            source=Source.of_bytes(csv_bytes(HEADERS, rows), "t.csv"),
            settings=settings,
        )
    outside = {(i + 2, "B", "bad_division") for i, r in enumerate(rows) if r[COLUMN["行政区划代码"]] == other}
    assert {(e.row, e.column, e.code) for e in refused.value.errors} == outside and outside
    assert counts(session) == before
    batch = session.get(ImportBatch, refused.value.import_id)
    assert batch.division_code == world.a.village and batch.actor_name == principal.username
    own = [r for r in rows if r[COLUMN["行政区划代码"]] == world.a.village]
    outcome = service.import_file(
        session,
        "members",
        actor=principal,
        settings=settings,
        source=Source.of_bytes(csv_bytes(HEADERS, own), "own.csv"),
    )
    assert outcome.counts["members"] == len(own)


def test_the_error_list_is_capped_with_a_count_of_the_rest(session, settings, world, monkeypatch):
    monkeypatch.setenv("ZHUCUN_IMPORT_MAX_ERROR_ROWS", "5")
    rows = member_rows(villages(world), 12, seed=33)
    for row in rows:
        put(row, "民族", "?")
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, csv_bytes(HEADERS, rows))
    body = refused.value.as_dict()
    assert (refused.value.total, len(refused.value.errors), body["more"]) == (12, 5, 7)
    assert session.get(ImportBatch, refused.value.import_id).errors == 12


def test_logs_hold_no_id_number(session, settings, world, caplog):
    rows = member_rows(villages(world), 6, seed=34)
    bad = member_rows(villages(world), 6, seed=35, start=300)
    put(bad[0], "证件号码", bad[0][COLUMN["证件号码"]][:-1] + "Z")
    with caplog.at_level(logging.DEBUG):
        run(session, settings, csv_bytes(HEADERS, rows))
        with pytest.raises(ImportRejected) as refused:
            run(session, settings, csv_bytes(HEADERS, bad))
    numbers = [r[COLUMN["证件号码"]] for r in rows + bad]
    assert not any(number in caplog.text for number in numbers)
    assert not any(number in str(refused.value.as_dict()) for number in numbers)
