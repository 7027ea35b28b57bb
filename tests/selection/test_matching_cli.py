"""``zhucun selection match`` as the operator runs it: --json prints the proposal in the
agreed shape, and --dry-run keeps nothing."""

from __future__ import annotations

import json
from contextlib import contextmanager

from sqlalchemy import func, select
from typer.testing import CliRunner

from zhucun import cli as root
from zhucun.core.auth import Principal
from zhucun.selection.matching.models import Assignment, MarkedVillage, Nomination


def test_match_prints_the_proposal_as_json_and_dry_run_keeps_nothing(monkeypatch, session, settings, world):
    @contextmanager
    def operator(db=None, *, write=True):
        yield session, Principal.system()

    monkeypatch.setattr(root, "system_session", operator)
    county = world.a.county[:6]
    # A team of one: the area's single cadre makes it whole (a lone cadre is no team of three).
    session.add(MarkedVillage(county_code=county, term=2026, village_code=world.a.village, needs=[], team_size=1))
    session.add(Nomination(county_code=county, term=2026, cadre_id=world.a.cadre_id, division_code=world.a.county))
    session.flush()
    root._mount()
    args = ["selection", "match", "--division", world.a.county, "--term", "2026", "--json"]
    dry = CliRunner().invoke(root.app, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    body = json.loads(dry.output)
    assert set(body) == {"objective", "bound", "gap", "greedy_objective", "greedy_unfilled", "unfilled", "assignments"}
    assert body["assignments"] == [
        {"village_code": world.a.village, "cadre_id": world.a.cadre_id, "role": "first_secretary"}
    ]
    assert body["unfilled"] == []
    assert session.scalar(select(func.count()).select_from(Assignment)) == 0
    named = json.loads(CliRunner().invoke(root.app, [*args, "--dry-run", "--refusals"]).output)
    assert set(named) - set(body) == {"refused", "ineligible"}
    assert named["refused"] == [] and named["ineligible"] == []
    kept = CliRunner().invoke(root.app, args)
    assert kept.exit_code == 0, kept.output
    assert session.scalar(select(func.count()).select_from(Assignment)) == 1
