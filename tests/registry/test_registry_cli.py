"""``zhucun registry units …`` as a clerk runs it (in the test's transaction, as the operator)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from zhucun import cli as root
from zhucun.core.audit import AuditEntry
from zhucun.core.auth import Principal
from zhucun.core.i18n import use_locale
from zhucun.registry import cli
from zhucun.registry.models import Unit


@pytest.fixture
def run(monkeypatch, session, settings):
    @contextmanager
    def operator(db=None, *, write=True):
        yield session, Principal.system()

    monkeypatch.setattr(root, "system_session", operator)
    monkeypatch.setattr(root, "settings", lambda: settings)

    def invoke(*args: str, lang: str = "zh_CN"):
        with use_locale(lang):
            return CliRunner().invoke(cli.app, list(args))

    return invoke


def test_units_are_listed_with_their_pairings(run, world):
    result = run("units", "list", "--kind", "university")
    assert result.exit_code == 0, result.output
    fields = result.stdout.strip().split("\t")
    assert fields[1:] == ["贵州大学", "省级单位", "高等学校", world.a.county, world.a.county]


def test_a_unit_is_added_and_paired(run, world, session):
    result = run("units", "add", "上海市对口帮扶办", "--level", "provincial", "--kind", "government",
                 "--pair", "522799", "--pair", world.b.county)
    assert result.exit_code == 0, result.output
    unit = session.scalars(select(Unit).where(Unit.name == "上海市对口帮扶办")).one()
    assert "上海市对口帮扶办" in result.stdout and str(unit.id) in result.stdout
    listed = run("units", "list", "--q", "对口").stdout
    assert listed.strip().endswith(f"{world.b.county},{world.a.county}")
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "registry:unit:created",
                                                    AuditEntry.entity_id == str(unit.id))).one().actor_name == "system"


def test_errors_are_translated_and_located(run, world):
    result = run("units", "add", "某单位", "--level", "village", "--kind", "government", lang="en")
    assert result.exit_code == 1 and "field level" in result.output and "Unknown value" in result.output
    paired = run("units", "pair", str(world.a.unit_id), world.a.township)
    assert paired.exit_code == 1 and "不是县" in paired.output
    taken = run("units", "add", "贵州大学", "--level", "provincial", "--kind", "university")
    assert taken.exit_code == 1 and "已登记" in taken.output

