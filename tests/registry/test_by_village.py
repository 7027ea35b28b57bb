"""Households by village and status: the bureau's home item opens a table of its county's
villages, each count equal to the register's and opening the household list behind it; a
township reads its own villages only; the export holds what the page shows."""

from __future__ import annotations

import html
import io
import re
from collections import Counter

from python_calamine import CalamineWorkbook
from sqlalchemy import select

from zhucun.core.permissions import Role
from zhucun.divisions.models import Division
from zhucun.registry.catalogues import ASSISTED_STATUSES
from zhucun.registry.models import Household

URL = "/registry/households-by-village"


def _register(session, prefix: str) -> Counter:
    """(village, status) → households, counted row by row from the register."""
    rows = session.execute(select(Household.village_code, Household.status)).all()
    return Counter((v, s) for v, s in rows if v.startswith(prefix))


def _cell(page: str, village: str, column: int) -> str:
    row = re.search(rf'<tr data-village="{village}">(.*?)</tr>', page, re.S).group(1)
    return re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[column]).strip()


def test_the_bureau_opens_its_villages_by_status_from_its_home(client, web, world, session):
    web(world.username(Role.RR_BUREAU))
    home = client.get("/").text
    link = html.unescape(re.search(rf'href="({URL}\?division=\d+)"', home).group(1))
    register = _register(session, world.a.county[:6])
    villages = {v for (v, s) in register if s in ASSISTED_STATUSES}
    assert re.search(rf'href="{re.escape(URL)}[^"]*".*?data-testid="work-count">{len(villages)}<', home, re.S)
    page = client.get(link)
    assert page.status_code == 200
    codes = sorted({v for v, _s in register})
    assert codes and set(re.findall(r'<tr data-village="(\d{12})">', page.text)) == set(codes)
    village = codes[0]
    name = session.scalar(select(Division.name).where(Division.code == village))
    assert name in page.text and f"共{len(codes)}个村" in page.text
    all_here = sum(n for (v, _s), n in register.items() if v == village)
    assert _cell(page.text, village, -1) == f"{all_here:,}"
    # Each count opens the household list behind it, which shows the same number.
    status, n = next((s, n) for (v, s), n in sorted(register.items()) if v == village and s in ASSISTED_STATUSES)
    target = f"/registry/households?village={village}&amp;status={status}"
    assert target in page.text
    assert f"共 {n:,} 条" in client.get(html.unescape(target)).text
    total = sum(register.values())
    assert f'data-testid="all">{total:,}<' in page.text


def test_a_township_reads_its_own_villages_only(client, web, world, session):
    web(world.username(Role.TOWNSHIP))
    page = client.get(URL)
    assert page.status_code == 200
    shown = set(re.findall(r'<tr data-village="(\d{12})">', page.text))
    assert shown and all(code.startswith(world.a.township[:9]) for code in shown)
    assert client.get(URL, params={"division": world.a.county}).status_code == 404
    assert client.get(URL, params={"division": world.b.county}).status_code == 404


def test_the_export_holds_the_rows_and_the_total(client, web, world, session):
    web(world.username(Role.RR_BUREAU))
    answer = client.get(f"{URL}/export.xlsx", params={"division": world.a.county})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/vnd.openxml")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(answer.content)).get_sheet_by_index(0).to_python()
    header, body = rows[0], rows[1:]
    assert header[:3] == ["乡镇", "村", "村代码"] and header[-1] == "全部农户"
    register = _register(session, world.a.county[:6])
    assert {r[2] for r in body[:-1]} == {v for v, _s in register}
    assert body[-1][1] == "合计" and int(body[-1][-1]) == sum(register.values())
    english = client.get(URL, params={"division": world.a.county, "lang": "en"}).text
    assert "Households by village and status" in english and "All households" in english
