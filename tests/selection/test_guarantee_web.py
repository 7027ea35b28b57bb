"""The guarantee pages in Chinese and English, the statements as .xlsx read back with
python-calamine, a refused spending from the fund's page, the home items of the
organisation department and of a dispatching unit, and the command line."""

from __future__ import annotations

import html
import json
import re
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.factories import guarantee as guarantee_factory
from zhucun import cli as root
from zhucun.accounts.units.models import Unit
from zhucun.core.auth import Principal
from zhucun.core.permissions import Role
from zhucun.divisions.models import Division
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.guarantee import service
from zhucun.selection.guarantee.models import FundSpending
from zhucun.selection.guarantee.schemas import PolicyIn

OCTOBER = "2025-10"


def _book(content: bytes) -> CalamineWorkbook:
    return CalamineWorkbook.from_filelike(__import__("io").BytesIO(content))


def _sheet(content: bytes) -> list[list]:
    """The statement's rows below its two title lines (the header first)."""
    return _book(content).get_sheet_by_index(0).to_python()[2:]


def _title(content: bytes) -> tuple[str, list[str]]:
    """The sheet's name and its title lines."""
    book = _book(content)
    rows = book.get_sheet_by_index(0).to_python()
    return book.sheet_names[0], [rows[0][0], rows[1][0]]


def _cadre(session, area):
    return session.scalars(
        select(Cadre).where(Cadre.county_code == area.county[:6], Cadre.id == area.posted_cadre_id)
    ).one()


def test_the_statements_page_shows_names_and_totals_and_exports_what_is_shown(client, web, world, session):
    web("zzb")
    a = world.a
    page = client.get(f"/selection/guarantee?month={OCTOBER}")
    assert page.status_code == 200, page.text
    village = session.scalar(select(Division.name).where(Division.code == a.village))
    table = page.text.split('id="statement"', 1)[1]
    assert "张卫东" in table and village in table and a.village not in table.replace(f"/{a.posted_cadre_id}/", "")
    assert "工作补助" in page.text and "2720.00" in table
    link = html.unescape(re.search(r'href="(/selection/guarantee/export\.xlsx\?[^"]*)"', page.text).group(1))
    assert f"month={OCTOBER}" in link
    export = client.get(link)
    assert export.status_code == 200
    assert export.headers["content-type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(export.content)
    assert rows[0][:4] == ["干部", "派出单位", "村", "驻村天数"]
    assert rows[0][4:] == ["工作补助", "伙食补助", "交通补助", "通讯补贴", "合计（元）"]
    county = session.scalar(select(Division.name).where(Division.code == a.county))
    sheet, title = _title(export.content)
    assert sheet == f"{OCTOBER} {county}"
    assert title == [f"驻村干部月度待遇明细：{county}", f"月份：{OCTOBER}（法定工作日18天）· 县：{county}"]
    mine = next(r for r in rows if r[0] == "张卫东")
    assert mine[2] == village and mine[3:] == [18, 1000, 720, 900, 100, 2720]
    assert rows[-1][0] == "合计"
    assert rows[-1][-1] == sum(r[-1] for r in rows[1:-1])
    assert "Work allowance" in client.get(f"/selection/guarantee?month={OCTOBER}&lang=en").text


def test_a_cadre_and_a_unit_statement_as_xlsx(client, web, world, session):
    web(world.a.users[Role.UNIT])
    a = world.a
    one = client.get(f"/selection/guarantee/cadres/{a.county[:6]}/{a.posted_cadre_id}/statement?month={OCTOBER}")
    assert one.status_code == 200
    assert [r[0] for r in _sheet(one.content)] == ["干部", "张卫东", "合计"]
    assert _title(one.content)[0] == f"{OCTOBER} 张卫东" and "张卫东" in _title(one.content)[1][0]
    unit = client.get(f"/selection/guarantee/units/{a.unit_id}/statement?month={OCTOBER}")
    assert "张卫东" in [r[0] for r in _sheet(unit.content)]
    name = session.scalar(select(Unit.name).where(Unit.id == a.unit_id))
    assert _title(unit.content) == (
        f"{OCTOBER} {name}"[:31],
        [f"驻村干部月度待遇明细：{name}", _title(unit.content)[1][1]],
    )
    assert _title(unit.content)[1][1].startswith(f"月份：{OCTOBER}")
    english = client.get(f"/selection/guarantee/units/{a.unit_id}/statement?month={OCTOBER}&lang=en")
    assert "Phone allowance" in _sheet(english.content)[0]
    assert client.get(f"/selection/guarantee/units/{world.b.unit_id}/statement").status_code == 404


def test_an_overspending_from_the_fund_page_is_refused_and_kept_in_the_form(client, web, world, session):
    csrf = web("zzb")
    fund = guarantee_factory.fund(session, world.a, amount="500")
    url = f"/selection/guarantee/funds/{fund.county_code}/{fund.id}"
    form = {"csrf_token": csrf, "spent_on": date.today().isoformat(), "amount": "600", "purpose": "购置桌椅"}
    refused = client.post(f"{url}/spendings", data=form)
    assert refused.status_code == 422
    assert "支出 600.00 元超过经费余额 500.00 元" in refused.text and 'value="购置桌椅"' in refused.text
    assert session.scalar(select(func.count()).select_from(FundSpending).where(FundSpending.fund_id == fund.id)) == 0
    done = client.post(f"{url}/spendings", data={**form, "amount": "200"}, follow_redirects=False)
    assert done.status_code == 303
    assert 'data-testid="balance">300.00<' in client.get(url).text


def test_home_items_for_the_organisation_department_and_the_unit(client, web, world, session):
    a = world.a
    today = date.today()
    service.record_policy(
        session,
        actor=Principal.system(),
        cadre=_cadre(session, a),
        data=PolicyIn(
            insurer="中国人保",
            number="H-9",
            starts_on=today - timedelta(days=300),
            ends_on=today + timedelta(days=20),
            sum_insured=Decimal("300000"),
        ),
    )
    web("zzb")
    home = client.get("/").text
    assert "即将到期的意外伤害保险" in home and "体检逾期" in home
    assert f"/selection/guarantee/insurance?county={a.county[:6]}&amp;expiring=1" in home
    listed = client.get(f"/selection/guarantee/insurance?county={a.county[:6]}&expiring=1").text
    assert "H-9" in listed and "剩 20 天" in listed
    client.post("/logout", data={})
    web(a.users[Role.UNIT])
    unit_home = client.get("/").text
    assert "本单位干部月度待遇明细" in unit_home and f"unit_id={a.unit_id}" in unit_home


def test_the_command_line_writes_a_unit_statement_and_lists_insurance(monkeypatch, session, world, tmp_path):
    @contextmanager
    def operator(db=None, *, write=True):
        yield session, Principal.system()

    monkeypatch.setattr(root, "system_session", operator)
    root._mount()
    a = world.a
    out = tmp_path / "unit.xlsx"
    args = ["selection", "guarantee", "statement", "--unit", str(a.unit_id), "--month", OCTOBER, "--out", str(out)]
    result = CliRunner().invoke(root.app, args)
    assert result.exit_code == 0, result.output
    assert "张卫东" in [r[0] for r in _sheet(out.read_bytes())]
    assert _title(out.read_bytes())[1][1].startswith(f"月份：{OCTOBER}")
    today = date.today()
    service.record_policy(
        session,
        actor=Principal.system(),
        cadre=_cadre(session, a),
        data=PolicyIn(
            insurer="中国人保",
            number="C-1",
            starts_on=today - timedelta(days=360),
            ends_on=today + timedelta(days=5),
            sum_insured=Decimal("300000"),
        ),
    )
    listed = CliRunner().invoke(
        root.app, ["selection", "guarantee", "insurance", "expiring", "--county", a.county, "--json"]
    )
    assert listed.exit_code == 0, listed.output
    assert [(p["number"], p["days_left"], p["cadre"]) for p in json.loads(listed.output)] == [("C-1", 5, "张卫东")]


def test_the_cadre_page_records_insurance_and_a_health_check_whose_result_managers_alone_see(client, web, world):
    a = world.a
    page_url = f"/selection/guarantee/cadres/{a.county[:6]}/{a.posted_cadre_id}"
    csrf = web("zzb")
    policy = {"csrf_token": csrf, "insurer": "中国太保", "number": "W-7", "sum_insured": "400000"}
    backwards = client.post(f"{page_url}/policies", data={**policy, "starts_on": "2026-01-01", "ends_on": "2025-01-01"})
    assert backwards.status_code == 422 and "保单终止日期不能早于起始日期" in backwards.text
    dated = {"starts_on": "2025-01-01", "ends_on": "2025-12-31"}
    done = client.post(f"{page_url}/policies", data={**policy, **dated}, follow_redirects=False)
    assert done.status_code == 303
    check = {"csrf_token": csrf, "year": "2025", "done": "1", "checked_on": "2025-05-06", "result": "轻度脂肪肝"}
    assert client.post(f"{page_url}/health", data=check, follow_redirects=False).status_code == 303
    shown = client.get(page_url).text
    assert "W-7" in shown and "轻度脂肪肝" in shown and "2025-05-06" in shown
    client.post("/logout", data={"csrf_token": csrf})
    web(a.users[Role.UNIT])
    assert "轻度脂肪肝" in client.get(page_url).text
    client.post("/logout", data={})
    web(a.users[Role.RR_BUREAU])
    bureau = client.get(page_url)
    assert bureau.status_code == 200 and "2025-05-06" in bureau.text and "轻度脂肪肝" not in bureau.text
