"""The helpers page in Chinese and English, its export, the county's assignment from the
page, the home count, and the command line."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from contextlib import contextmanager
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import insert, select, update
from typer.testing import CliRunner

from tests.selection.test_helpers_api import _households
from zhucun import cli as root
from zhucun.core.auth import Principal
from zhucun.core.ids import allocate
from zhucun.core.models import User
from zhucun.core.permissions import Role
from zhucun.divisions.models import Division
from zhucun.registry.officials.models import VillageOfficial
from zhucun.selection.helpers import home, queries
from zhucun.selection.helpers.models import HelperAssignment
from zhucun.selection.matching.models import MarkedVillage


def test_the_page_shows_names_totals_and_assigns_for_the_county(client, web, world, session):
    csrf = web("zzb")
    a = world.a
    before = queries.report(session, a.county)["total"]
    assert before["without_helper"] > 0
    page = client.get(f"/selection/helpers?division={a.county}")
    assert page.status_code == 200
    village = session.scalar(select(Division.name).where(Division.code == a.village))
    assert village in page.text and "未落实" in page.text and a.village not in page.text.split("<tbody>", 1)[1]
    assert f'data-testid="without"><span class="badge bg-danger">{before["without_helper"]}<' in page.text
    english = client.get(f"/selection/helpers?division={a.county}&lang=en")
    assert "Households in care" in english.text
    done = client.post(
        f"/selection/helpers/counties/{a.county}/assign", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == f"/selection/helpers?division={a.county}#outcome"
    after = queries.report(session, a.county)["total"]
    assert after["without_helper"] == 0 and after["with_helper"] == before["households"]
    # The page says what the assignment did: all given a helper, none left without.
    shown = client.get(f"/selection/helpers?division={a.county}&lang=zh_CN").text
    assert 'id="outcome"' in shown and "上次为全县分配帮扶责任人" in shown
    assert f'data-testid="last-assigned">{before["households"]}<' in shown
    assert 'data-testid="last-without">0<' in shown and 'data-testid="why"' not in shown
    export = client.get(f"/selection/helpers/export.csv?division={a.county}")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert export.headers["content-type"].startswith("text/csv")
    assert any(r[1] == village and r[2] == str(after["households"]) and r[4] == "0" for r in rows[1:])


def test_the_page_says_who_was_left_without_and_why(client, web, world, session):
    a = world.a
    # No official sits and the helper account is disabled: the one posted cadre (cap 5) is
    # all the county has for more households than that.
    session.execute(update(VillageOfficial).where(VillageOfficial.term_end.is_(None)).values(term_end=date(2026, 1, 1)))
    session.execute(update(User).where(User.username == a.users[Role.HELPER]).values(is_active=False))
    _households(session, a, ["11"] * 8)
    session.commit()
    csrf = web("zzb")
    done = client.post(f"/selection/helpers/counties/{a.county}/assign", data={"csrf_token": csrf})
    assert done.status_code == 200
    without = queries.report(session, a.county)["total"]["without_helper"]
    assert without > 0
    assert f'data-testid="last-without">{without}<' in done.text
    why = re.search(r'data-testid="why">([^<]*)<', done.text).group(1)
    # The numbers behind it: one helper (cap 5) against the households' weight.
    assert "上限 5" in why and "最多可承担 5" in why
    village = session.scalar(select(Division.name).where(Division.code == a.village))
    listed = re.search(r'data-testid="without-villages">(.*?)</ul>', done.text, re.S).group(1)
    assert village in listed and f">{without}<" in listed and a.village + "<" not in listed


def test_the_page_refuses_another_county(client, web, world):
    web("zzb")
    assert client.get(f"/selection/helpers?division={world.b.county}").status_code == 404


def _reader(world, session, *roles):
    grant = SimpleNamespace(division_code=world.a.county, role=roles[0])
    principal = SimpleNamespace(grants=[grant], can=lambda permission: True, roles=set(roles))
    return SimpleNamespace(principal=principal, session=session)


def test_the_home_item_counts_households_without_a_helper(world, session):
    items = home.items(_reader(world, session, Role.RR_BUREAU))
    expected = queries.report(session, world.a.county)["total"]["without_helper"]
    url = f"/selection/helpers?division={world.a.county}&show=without"
    assert [(item.count, item.url) for item in items] == [(expected, url)]
    nobody = SimpleNamespace(grants=[], can=lambda permission: False, roles=set())
    assert home.items(SimpleNamespace(principal=nobody, session=session)) == []


def test_the_organisation_department_counts_open_the_lists_behind_them(client, web, world, session):
    a = world.a
    session.add(MarkedVillage(county_code=a.county[:6], term=2026, village_code=a.village, needs=[], team_size=3))
    # Six households of weight 1 on one helper: over the cap of 5.
    ids = _households(session, a, ["11"] * 6)
    first = allocate(session, "helper_assignments", len(ids))
    session.execute(
        insert(HelperAssignment),
        [
            {
                "county_code": a.county[:6],
                "id": first + k,
                "household_id": h,
                "village_code": a.village,
                "cadre_id": a.posted_cadre_id,
                "start_date": date(2026, 1, 5),
            }
            for k, h in enumerate(ids)
        ],
    )
    session.commit()
    found = {item.url: item for item in home.items(_reader(world, session, Role.ORG_DEPT))}
    base = f"/selection/helpers?division={a.county}"
    over = found[f"{base}&show=over"]
    assert (over.count, over.tone, str(over.label)) == (1, "alert", "超出帮扶户数上限的责任人")
    short = found[f"{base}&term=2026&show=teams"]
    assert (short.count, str(short.label)) == (1, "2026年度选派村中尚未配齐工作队的")
    web("zzb")
    village = session.scalar(select(Division.name).where(Division.code == a.village))
    teams = client.get(short.url)
    assert teams.status_code == 200 and 'data-testid="teams-complete"' in teams.text
    table = teams.text.split('id="teams"', 1)[1].split("</table>", 1)[0]
    assert village in table and "未配齐" in table and a.village not in table
    assert "1 个村中 0 个已配齐" in teams.text
    listed = client.get(over.url)
    villages = listed.text.split('id="villages"', 1)[1].split("</table>", 1)[0]
    assert village in villages and ">1<" in villages
    # The page's own export link carries its filters (the term and the teams view).
    link = html.unescape(re.search(r'href="(/selection/helpers/export\.csv\?[^"]*)"', teams.text).group(1))
    assert "show=teams" in link and "term=2026" in link
    export = client.get(link)
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert rows[1][0] == village and rows[1][1:3] == ["1", "3"]


def test_the_command_line_assigns_and_reports(monkeypatch, session, world):
    @contextmanager
    def operator(db=None, *, write=True):
        yield session, Principal.system()

    monkeypatch.setattr(root, "system_session", operator)
    root._mount()
    assigned = CliRunner().invoke(root.app, ["selection", "helpers", "assign", "--county", world.a.county])
    assert assigned.exit_code == 0, assigned.output
    report = CliRunner().invoke(root.app, ["selection", "helpers", "coverage", "--division", world.a.county, "--json"])
    assert report.exit_code == 0, report.output
    body = json.loads(report.output)
    assert body["total"]["without_helper"] == 0 and body["total"]["with_helper"] == body["total"]["households"] > 0
    assert {v["code"] for v in body["villages"]} >= {world.a.village}


@pytest.mark.parametrize("role", [Role.FIRST_SECRETARY, Role.TEAM_MEMBER])
def test_the_village_team_sees_its_households_without_a_helper_and_opens_the_list(client, web, world, session, role):
    web(world.username(role))
    page = client.get("/")
    assert page.status_code == 200
    url = f"/selection/helpers?division={world.a.village}&amp;show=without"
    assert url in page.text and "未落实帮扶责任人的户" in page.text
    expected = queries.report(session, world.a.village)["total"]["without_helper"]
    assert expected > 0
    listed = client.get(html.unescape(url))
    assert listed.status_code == 200
    villages = listed.text.split('id="villages"', 1)[1].split("</table>", 1)[0]
    assert session.scalar(select(Division.name).where(Division.code == world.a.village)) in villages
    # Only the team's own village: another village of the county is out of its area.
    assert client.get(f"/selection/helpers?division={world.a.county}").status_code == 404
