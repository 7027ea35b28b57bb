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


def _operator(monkeypatch, session):
    @contextmanager
    def operator(db=None, *, write=True):
        yield session, Principal.system()

    monkeypatch.setattr(root, "system_session", operator)
    root._mount()


def test_nothing_marked_is_said_plainly_and_exits_zero(monkeypatch, session, settings, world):
    _operator(monkeypatch, session)
    args = ["selection", "match", "--division", world.b.county, "--term", "2030"]
    as_json = CliRunner().invoke(root.app, [*args, "--dry-run", "--json", "--refusals"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == {
        "objective": 0,
        "bound": 0,
        "gap": 0,
        "greedy_objective": 0,
        "greedy_unfilled": 0,
        "unfilled": [],
        "assignments": [],
        "refused": [],
        "ineligible": [],
    }
    text = CliRunner().invoke(root.app, args)
    assert text.exit_code == 0, text.output
    assert text.output.strip() == "白岩县没有为 2030 年届次标记的村：无需匹配。"
    assert session.scalar(select(func.count()).select_from(Assignment)) == 0


def test_the_text_output_names_the_villages(monkeypatch, session, settings, world):
    _operator(monkeypatch, session)
    county = world.a.county[:6]
    session.add(MarkedVillage(county_code=county, term=2030, village_code=world.a.village, needs=[], team_size=3))
    session.add(Nomination(county_code=county, term=2030, cadre_id=world.a.cadre_id, division_code=world.a.county))
    session.flush()
    args = ["selection", "match", "--division", world.a.county, "--term", "2030", "--dry-run"]
    result = CliRunner().invoke(root.app, args)
    assert result.exit_code == 0, result.output
    # Too few cadres for the team: the village is named (no namesake: no code beside it).
    assert "花河村：" in result.output and "个岗位空缺" in result.output
    assert world.a.village not in result.output
