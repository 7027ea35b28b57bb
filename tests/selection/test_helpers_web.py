"""The helpers page in Chinese and English, its export, the county's assignment from the
page, the home count, and the command line."""

from __future__ import annotations

import csv
import io
import json
from contextlib import contextmanager
from types import SimpleNamespace

from sqlalchemy import select
from typer.testing import CliRunner

from zhucun import cli as root
from zhucun.core.auth import Principal
from zhucun.divisions.models import Division
from zhucun.selection.helpers import home, queries


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
    assert done.status_code == 303 and done.headers["location"] == f"/selection/helpers?division={a.county}"
    after = queries.report(session, a.county)["total"]
    assert after["without_helper"] == 0 and after["with_helper"] == before["households"]
    export = client.get(f"/selection/helpers?division={a.county}&format=csv")
    rows = list(csv.reader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert export.headers["content-type"].startswith("text/csv")
    assert any(r[1] == village and r[2] == str(after["households"]) and r[4] == "0" for r in rows[1:])


def test_the_page_refuses_another_county(client, web, world):
    web("zzb")
    assert client.get(f"/selection/helpers?division={world.b.county}").status_code == 404


def test_the_home_item_counts_households_without_a_helper(world, session):
    grant = SimpleNamespace(division_code=world.a.county)
    principal = SimpleNamespace(grants=[grant], can=lambda permission: True)
    items = home.items(SimpleNamespace(principal=principal, session=session))
    expected = queries.report(session, world.a.county)["total"]["without_helper"]
    assert [(item.count, item.url) for item in items] == [(expected, f"/selection/helpers?division={world.a.county}")]
    nobody = SimpleNamespace(grants=[grant], can=lambda permission: False)
    assert home.items(SimpleNamespace(principal=nobody, session=session)) == []


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
