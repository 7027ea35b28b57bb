"""Importing cadres: units by number or exact name, the place of service inside the importer's
area, one record per person in the county, all or nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select

from tests.factories.imports import cadre_rows, csv_bytes
from zhucun.accounts.units.models import Unit
from zhucun.core.auth import Principal
from zhucun.core.imports import service
from zhucun.core.imports.files import Source
from zhucun.core.imports.problems import ImportRejected
from zhucun.core.models import User
from zhucun.core.protect import Protector
from zhucun.core.scope import bind
from zhucun.selection.cadres import import_sample as cadre_sample
from zhucun.selection.cadres.models import Cadre
from zhucun.selection.permissions import CADRE_IMPORT

HEADERS = cadre_sample.CADRE_HEADERS
COLUMN = {header: i for i, header in enumerate(HEADERS)}


def run(session, settings, rows, actor=None, name="cadres.csv"):
    return service.import_file(
        session,
        "cadres",
        actor=actor or Principal.system(),
        settings=settings,
        source=Source.of_bytes(csv_bytes(HEADERS, rows), name),
    )


def located(refused) -> list[tuple]:
    return [(e.row, e.column, e.code) for e in refused.value.errors]


def test_cadres_with_their_unit_by_number_or_name(session, settings, world):
    unit = session.get(Unit, world.a.unit_id)
    rows = cadre_rows([world.a.village], str(world.a.unit_id), 3, seed=100)
    rows[1][COLUMN["派出单位"]] = unit.name
    outcome = run(session, settings, rows)
    stored = session.scalars(select(Cadre).where(Cadre.import_id == outcome.import_id).order_by(Cadre.id)).all()
    assert [c.name for c in stored] == [r[COLUMN["姓名"]] for r in rows]
    assert {c.unit_id for c in stored} == {world.a.unit_id} and {c.county_code for c in stored} == {"522799"}
    assert Protector.of(settings).reveal(stored[0].id_cipher) == rows[0][COLUMN["身份证号码"]]
    assert stored[0].party_member is (rows[0][COLUMN["是否中共党员"]] == "是")


def test_unknown_or_ambiguous_units_and_bad_places(session, settings, world):
    session.execute(insert(Unit), [{"name": "同名单位", "level": "county", "kind": "government"}] * 2)
    session.commit()
    rows = cadre_rows([world.a.village], str(world.a.unit_id), 4, seed=101)
    rows[0][COLUMN["派出单位"]] = "不存在的单位"
    rows[1][COLUMN["派出单位"]] = "同名单位"
    rows[2][COLUMN["服务地区划代码"]] = world.a.county[:2].ljust(12, "0")  # a province
    rows[3][COLUMN["入党时间"]], rows[3][COLUMN["是否中共党员"]] = "2001-07-01", "否"
    before = session.scalar(select(func.count()).select_from(Cadre))
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, rows)
    unit, place, joined = "O", "R", "K"
    assert located(refused) == [
        (2, unit, "unknown_unit"),
        (3, unit, "unknown_unit"),
        (4, place, "bad_division"),
        (5, joined, "not_a_party_member"),
    ]
    assert session.scalar(select(func.count()).select_from(Cadre)) == before


def test_the_organisation_department_imports_only_into_its_county(session, settings, world):
    user = session.scalars(select(User).where(User.username == "zzb")).one()
    principal = Principal.of(user)
    rows = cadre_rows([world.b.village], str(world.b.unit_id), 2, seed=102)
    bind(session, principal.scope_for(CADRE_IMPORT))
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, rows, principal)
    assert {code for _r, _c, code in located(refused)} == {"bad_division"}


def test_a_cadre_is_registered_once_per_county(session, settings, world):
    rows = cadre_rows([world.a.village], str(world.a.unit_id), 2, seed=103)
    run(session, settings, rows)
    again = cadre_rows([world.a.village], str(world.a.unit_id), 2, seed=104)
    again[1] = list(rows[0])
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, again, name="again.csv")
    assert located(refused) == [(3, "B", "already_registered")]
