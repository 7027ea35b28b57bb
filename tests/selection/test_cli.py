"""``zhucun registry units …`` and ``zhucun registry cadres …`` as a clerk runs them (in the
test's transaction, as the operator)."""

from __future__ import annotations

import csv
from contextlib import contextmanager

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories.leaks import clear_ids
from zhucun import cli as root
from zhucun.accounts.units.models import Unit
from zhucun.core.audit import AuditEntry
from zhucun.core.auth import Principal
from zhucun.core.i18n import use_locale
from zhucun.core.idnumbers import mask
from zhucun.core.protect import Protector
from zhucun.selection.cadres.models import Cadre

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@pytest.fixture
def run(monkeypatch, session, settings):
    @contextmanager
    def operator(db=None, *, write=True):
        yield session, Principal.system()

    monkeypatch.setattr(root, "system_session", operator)
    monkeypatch.setattr(root, "settings", lambda: settings)

    def invoke(*args: str, lang: str = "zh_CN"):
        with use_locale(lang):
            root._mount()
            return CliRunner().invoke(root.app, ["registry", *args], env={"ZHUCUN_LANG": lang})

    return invoke


def test_units_are_listed_with_their_pairings(run, world):
    result = run("units", "list", "--kind", "university")
    assert result.exit_code == 0, result.output
    fields = result.stdout.strip().split("\t")
    assert fields[1:] == ["贵州大学", "省级单位", "高等学校", world.a.county, world.a.county]


def test_a_unit_is_added_and_paired(run, world, session):
    result = run(
        "units",
        "add",
        "上海市对口帮扶办",
        "--level",
        "provincial",
        "--kind",
        "government",
        "--pair",
        "522799",
        "--pair",
        world.b.county,
    )
    assert result.exit_code == 0, result.output
    unit = session.scalars(select(Unit).where(Unit.name == "上海市对口帮扶办")).one()
    assert "上海市对口帮扶办" in result.stdout and str(unit.id) in result.stdout
    listed = run("units", "list", "--q", "对口").stdout
    assert listed.strip().endswith(f"{world.b.county},{world.a.county}")
    assert (
        session.scalars(
            select(AuditEntry).where(AuditEntry.action == "accounts:unit:created", AuditEntry.entity_id == str(unit.id))
        )
        .one()
        .actor_name
        == "system"
    )


def test_errors_are_translated_and_located(run, world):
    result = run("units", "add", "某单位", "--level", "village", "--kind", "government", lang="en")
    assert result.exit_code == 1 and "Unknown value “village”" in result.output
    paired = run("units", "pair", str(world.a.unit_id), world.a.township)
    assert paired.exit_code == 1 and "不是县" in paired.output
    taken = run("units", "add", "贵州大学", "--level", "provincial", "--kind", "university")
    assert taken.exit_code == 1 and "已登记" in taken.output


def test_cadres_are_listed_masked(run, world, session):
    result = run("cadres", "list", "--unit", str(world.a.unit_id), "--area", world.a.county)
    assert result.exit_code == 0, result.output
    names = [line.split("\t")[1] for line in result.stdout.strip().splitlines()]
    assert sorted(names) == ["张卫东", "李明"]
    assert "********" in result.stdout and "贵州省交通运输厅" in result.stdout


def test_cadres_are_exported_masked_or_with_a_reason(run, world, session, tmp_path):
    target = tmp_path / "干部.csv"
    result = run("cadres", "export", str(target), "--area", world.a.county)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert len(rows) == 3 and all("********" in row[1] for row in rows[1:])
    refused = run("cadres", "export", str(tmp_path / "clear.xlsx"), "--unmask")
    assert refused.exit_code == 1 and not (tmp_path / "clear.xlsx").exists()
    clear = run(
        "cadres",
        "export",
        str(tmp_path / "clear.xlsx"),
        "--unmask",
        "--reason",
        "组织部专项核查",
        "--area",
        world.a.county,
    )
    assert clear.exit_code == 0 and (tmp_path / "clear.xlsx").read_bytes()[:2] == b"PK"
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "cadres").order_by(AuditEntry.seq.desc())
    ).first()
    assert entry.reason == "组织部专项核查" and entry.after["unmasked"] is True
    assert session.scalars(select(Cadre.id)).first() is not None


@pytest.mark.parametrize("typed", ["plain", "full-width"])
def test_a_search_by_id_number_is_kept_masked_in_the_trail(run, world, session, settings, tmp_path, typed):
    cipher = session.scalars(select(Cadre.id_cipher).where(Cadre.id == world.a.cadre_id)).one()
    number = Protector.of(settings).reveal(cipher)
    searched = number if typed == "plain" else number.translate(FULL_WIDTH)
    target = tmp_path / f"{number}.csv"
    result = run("cadres", "export", str(target), "--q", searched, "--area", world.a.county)
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert [row[1] for row in rows[1:]] == [mask(number)]
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "cadres").order_by(AuditEntry.seq.desc())
    ).first()
    assert entry.after == {
        "filters": {"q": mask(number), "area": world.a.county},
        "unmasked": False,
        "file": f"{mask(number)}.csv",
    }
    assert clear_ids(str(entry.after)) == []
