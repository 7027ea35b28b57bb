"""``zhucun selection terms`` as the operator runs it: ``ending --json`` lists the terms in the
window, ``rotate`` ends the term's postings and says how many."""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import date

from typer.testing import CliRunner

from zhucun import cli as root
from zhucun.core.auth import Principal
from zhucun.selection.cadres.models import CadrePosting


def _operator(monkeypatch, session):
    @contextmanager
    def operator(db=None, *, write=True):
        yield session, Principal.system()

    monkeypatch.setattr(root, "system_session", operator)
    root._mount()


def test_ending_prints_the_terms_in_the_window_as_json(monkeypatch, session, world):
    _operator(monkeypatch, session)
    # A posting started a year ago ends within the next year.
    start = date.today().replace(year=date.today().year - 1)
    session.get(CadrePosting, (world.a.county[:6], world.a.posting_id)).start_date = start
    session.flush()
    result = CliRunner().invoke(
        root.app, ["selection", "terms", "ending", "--county", world.a.county, "--days", "400", "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert body["days"] == 400
    mine = [r for r in body["items"] if r["posting_id"] == world.a.posting_id]
    assert len(mine) == 1 and mine[0]["name"] == "张卫东" and mine[0]["term"] == start.year
    narrow = CliRunner().invoke(
        root.app, ["selection", "terms", "ending", "--county", world.a.county, "--days", "0", "--json"]
    )
    assert world.a.posting_id not in [r["posting_id"] for r in json.loads(narrow.output)["items"]]


def test_rotate_ends_the_terms_that_have_ended(monkeypatch, session, world):
    _operator(monkeypatch, session)
    result = CliRunner().invoke(
        root.app, ["selection", "terms", "rotate", "--county", world.a.county, "--term", "2024"]
    )
    assert result.exit_code == 0, result.output
    posting = session.get(CadrePosting, (world.a.county[:6], world.a.posting_id))
    session.refresh(posting)
    assert posting.end_date == date(2026, 2, 28)
    refused = CliRunner().invoke(
        root.app, ["selection", "terms", "rotate", "--county", world.a.township, "--term", "2024"]
    )
    assert refused.exit_code != 0
