"""``zhucun import`` against a fresh database: templates, dry runs, imports, refusals with
their report, cadres, and a file imported once."""

from __future__ import annotations

from pathlib import Path

import python_calamine
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.factories.imports import cadre_rows, csv_bytes, member_rows
from zhucun import cli as root
from zhucun.registry.import_kind import sample
from zhucun.registry.models import Household, Member
from zhucun.selection.cadres import import_sample as cadre_sample
from zhucun.selection.cadres.models import Cadre

HEADERS = sample.MEMBER_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}


def zhucun(*args: str):
    root._mount()
    return CliRunner().invoke(root.app, list(args))


def count(fresh, model) -> int:
    db = fresh.database()
    try:
        with db.begin(write=False) as session:
            return session.scalar(select(func.count()).select_from(model))
    finally:
        db.dispose()


def test_templates(tmp_path: Path, cli_env):
    result = zhucun("import", "template", "members", "-o", str(tmp_path / "t.xlsx"))
    assert result.exit_code == 0, result.output
    book = python_calamine.CalamineWorkbook.from_path(str(tmp_path / "t.xlsx"))
    assert book.sheet_names == ["Data", "Explanation"]
    assert book.get_sheet_by_index(0).to_python()[0] == HEADERS
    result = zhucun("import", "template", "cadres", "--format", "csv", "-o", str(tmp_path / "c.csv"))
    assert result.exit_code == 0
    assert (tmp_path / "c.csv").read_text(encoding="utf-8-sig").strip() == ",".join(cadre_sample.CADRE_HEADERS)


def test_dry_run_then_import_then_again(tmp_path: Path, cli_env):
    path = tmp_path / "members.csv"
    rows = member_rows(cli_env.villages[:3], 30, seed=70)
    path.write_bytes(csv_bytes(HEADERS, rows))
    checked = zhucun("import", "members", str(path), "--dry-run")
    assert checked.exit_code == 0, checked.output
    assert "Dry run: nothing was saved." in checked.stdout and count(cli_env, Member) == 0
    done = zhucun("import", "members", str(path))
    households = len({r[0] for r in rows})
    assert done.exit_code == 0 and f"{households} households with 30 members imported." in done.stdout
    assert "rows are good; writing" in done.stderr
    assert (count(cli_env, Household), count(cli_env, Member)) == (households, 30)
    again = zhucun("import", "members", str(path))
    assert again.exit_code == 1 and "already imported" in again.stderr


def test_a_refused_file_with_its_report(tmp_path: Path, cli_env):
    path, report = tmp_path / "bad.csv", tmp_path / "errors.xlsx"
    rows = member_rows(cli_env.villages[:1], 6, seed=71)
    rows[1][COLUMN["证件号码"]] = rows[1][COLUMN["证件号码"]][:17]
    rows[3][COLUMN["行政区划代码"]] = "110101001001"
    path.write_bytes(csv_bytes(HEADERS, rows))
    result = zhucun("import", "members", str(path), "--report", str(report))
    assert result.exit_code == 1
    assert "row 3, column E: ID number" in result.stderr and "row 5, column B:" in result.stderr
    sheet = python_calamine.CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert [row[1] for row in sheet[5:]] == ["E", "B"]
    assert count(cli_env, Member) == 0


def test_cadres(tmp_path: Path, cli_env):
    path = tmp_path / "cadres.csv"
    path.write_bytes(
        csv_bytes(cadre_sample.CADRE_HEADERS, cadre_rows(cli_env.villages[:2], "省交通运输厅", 5, seed=72))
    )
    result = zhucun("import", "cadres", str(path))
    assert result.exit_code == 0, result.output
    assert "5 cadres imported." in result.stdout and count(cli_env, Cadre) == 5
