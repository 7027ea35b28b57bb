"""A township clerk imports households and members from a spreadsheet on a phone: a file
with mistakes is refused whole, every mistake listed by row and column as the spreadsheet
shows them; a dry run of the corrected file saves nothing; the import saves every row."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.support import assert_fits, log_in, press
from zhucun.core.imports.models import ImportBatch
from zhucun.core.models import User
from zhucun.core.protect import Protector
from zhucun.divisions.models import Division
from zhucun.registry.import_kind import sample
from zhucun.registry.models import Member

pytestmark = pytest.mark.browser

ID_COLUMN = sample.MEMBER_HEADERS.index("证件号码")
DATE_COLUMN = sample.MEMBER_HEADERS.index("出生日期")


def letter(index: int) -> str:
    return chr(ord("A") + index)  # the member template has fewer than 27 columns before 出生日期


def _villages(site) -> list[str]:
    with site.session() as session:
        township = session.scalars(select(User).where(User.username == "zhen")).one().grants[0].division_code
        return list(
            session.scalars(select(Division.code).where(Division.parent_code == township, Division.level == "village"))
        )


def _new_people(site, villages: list[str]) -> list[list[str]]:
    """Rows of people not yet on the demo register (the first seed whose numbers are all new)."""
    protector = Protector.of(site.settings)
    with site.session() as session:
        for seed in range(1, 100):
            rows = list(sample.members(villages, 12, seed=seed, start=90_000))
            hashes = [protector.lookup(row[ID_COLUMN]) for row in rows]
            if not session.scalar(select(func.count()).select_from(Member).where(Member.id_hash.in_(hashes))):
                return rows
    raise AssertionError("no seed gives new people")


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(sample.MEMBER_HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _members(site) -> int:
    with site.session() as session:
        return session.scalar(select(func.count()).select_from(Member))


def _upload(page, rows: list[list[str]], button: str, name: str) -> None:
    page.locator("input[type=file][name=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": _csv(rows)}
    )
    press(page.get_by_test_id(button))


def test_a_township_clerk_imports_members_on_a_phone(open_page, site, shot):
    rows = _new_people(site, _villages(site))
    bad = [list(row) for row in rows]
    bad[1][ID_COLUMN] = bad[1][ID_COLUMN][:-1] + ("0" if bad[1][ID_COLUMN][-1] != "0" else "1")  # row 3
    bad[3][DATE_COLUMN] = "去年"  # row 5
    before = _members(site)

    page = open_page(phone=True)
    log_in(page, "zhen")
    page.goto("/imports/members")
    expect(page.get_by_test_id("template-xlsx")).to_be_visible()
    assert_fits(page)
    _upload(page, bad, "import", "有错的名单.csv")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    cells = errors.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.cells].slice(0, 2).map(c => c.textContent.trim()))"
    )
    assert ["3", letter(ID_COLUMN)] in cells and ["5", letter(DATE_COLUMN)] in cells, cells
    expect(errors.get_by_test_id("error-report")).to_be_visible()
    assert _members(site) == before
    assert_fits(page)
    shot(page, "refused")

    _upload(page, rows, "dry-run", "名单.csv")
    expect(page.get_by_test_id("import-result")).to_contain_text("未保存")
    assert _members(site) == before
    shot(page, "dry-run")

    _upload(page, rows, "import", "名单.csv")
    expect(page.get_by_test_id("import-result")).to_contain_text("已导入")
    assert _members(site) == before + len(rows)
    shot(page, "imported")
    with site.session() as session:
        batch = session.scalars(
            select(ImportBatch).where(ImportBatch.status == "done").order_by(ImportBatch.id.desc())
        ).first()
        assert (batch.filename, batch.members, batch.actor_name) == ("名单.csv", len(rows), "zhen")
    page.goto("/imports")
    expect(page.locator("main")).to_contain_text("名单.csv")
    assert_fits(page)
