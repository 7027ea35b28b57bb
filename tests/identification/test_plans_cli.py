"""``zhucun identification plans …``: the measure catalogue listed, a kind added and retired
(audited), and a bad code or cause refused with a message and nothing written."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from zhucun import cli as root
from zhucun.core.audit import AuditEntry
from zhucun.core.auth import Principal
from zhucun.core.i18n import use_locale
from zhucun.identification.plans.models import MeasureKind


@pytest.fixture
def run(monkeypatch, session, settings):
    @contextmanager
    def operator(db=None, *, write=True):
        yield session, Principal.system()

    monkeypatch.setattr(root, "system_session", operator)
    monkeypatch.setattr(root, "settings", lambda: settings)

    def invoke(*args: str):
        with use_locale("zh_CN"):
            root._mount()
            return CliRunner().invoke(root.app, ["identification", "plans", *args], env={"ZHUCUN_LANG": "zh_CN"})

    return invoke


def test_the_catalogue_is_listed_and_configured(run, session):
    listed = run("measure-kinds")
    assert listed.exit_code == 0 and "microcredit\t小额信贷\tmicrocredit\t09" in listed.output
    added = run("measure-kind", "solar", "--zh", "光伏帮扶", "--en", "solar power", "--causes", "09,12")
    assert added.exit_code == 0, added.output
    kind = session.get(MeasureKind, "solar")
    assert (kind.label_zh, kind.causes, kind.active) == ("光伏帮扶", "09,12", True)
    assert session.scalars(select(AuditEntry).where(AuditEntry.action == "identification:measurekind:configured")).all()
    retired = run("measure-kind", "solar", "--zh", "光伏帮扶", "--en", "solar power", "--inactive")
    assert retired.exit_code == 0 and "solar" not in run("measure-kinds").output


def test_a_bad_kind_is_refused_and_nothing_is_written(run, session):
    before = session.scalars(select(MeasureKind.code)).all()
    bad = run("measure-kind", "bad code!", "--zh", "坏", "--en", "bad")
    assert bad.exit_code != 0 and "16" in bad.output
    cause = run("measure-kind", "ok", "--zh", "好", "--en", "ok", "--causes", "77")
    assert cause.exit_code != 0 and "致贫原因" in cause.output
    assert session.scalars(select(MeasureKind.code)).all() == before
