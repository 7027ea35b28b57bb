"""A new mechanism plugs a kind of import in with its manifest alone: a fake mechanism
listing a two-column kind (tests/core/imports/fake_kind.py) gets the engine's use case,
its upload and template routes, its history rows and audit entries — all or nothing,
with errors located by row and column — and nothing in core names it."""

from __future__ import annotations

import dataclasses

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.core.imports import fake_kind
from tests.factories.auth import bearer_headers
from tests.factories.imports import csv_bytes
from zhucun.app import create_app
from zhucun.core import mechanism
from zhucun.core.audit import AuditEntry
from zhucun.core.auth import Principal
from zhucun.core.errors import NotFound
from zhucun.core.imports import kinds, service
from zhucun.core.imports.files import Source
from zhucun.core.imports.models import ImportBatch
from zhucun.core.imports.problems import ImportRejected
from zhucun.core.mechanism import Mechanism

HEADERS = ["姓名", "行政区划代码"]


@pytest.fixture
def plugged(monkeypatch, db):
    """The fake mechanism added to the manifests, and its table created for this test only."""
    real = mechanism.manifests()
    fake = Mechanism(name="fake", label="Fake", import_kinds=("tests.core.imports.fake_kind:NAMES",))
    monkeypatch.setattr(mechanism, "manifests", lambda: (*real, fake))
    with db.begin() as session:  # the test's outer transaction drops it afterwards
        fake_kind.NAMES_TABLE.create(session.connection())
    return fake_kind.NAMES


def stored(session) -> list[tuple[str, str]]:
    table = fake_kind.NAMES_TABLE
    return [tuple(r) for r in session.execute(select(table.c.name, table.c.village_code).order_by(table.c.row_number))]


def run(session, settings, data: bytes, **options):
    source = Source.of_bytes(data, "names.csv")
    return service.import_file(session, "names", actor=Principal.system(), source=source, settings=settings, **options)


def test_the_kind_is_found_through_the_manifests(plugged):
    assert kinds.kinds()["names"] is plugged
    assert "names" not in kinds._resolved(tuple(mechanism.each("import_kinds"))[:-1])


def test_a_good_file_is_imported_with_its_history_and_audit_entry(plugged, session, settings, world):
    village = world.a.village
    outcome = run(session, settings, csv_bytes(HEADERS, [["王芳", village], ["李强", village]]))
    assert (outcome.kind, outcome.rows, outcome.counts) == ("names", 2, {"names": 2})
    assert outcome.summary == "2 names imported."
    assert stored(session) == [("王芳", village), ("李强", village)]
    batch = session.get(ImportBatch, outcome.import_id)
    assert (batch.kind, batch.status, batch.members, batch.division_code) == ("names", "done", 2, village)
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "testing:names:imported")).one()
    assert (entry.entity_id, entry.after["names"], entry.county_code) == (str(batch.id), 2, village[:6])


def test_a_bad_row_refuses_the_whole_file_with_located_errors(plugged, session, settings, world):
    rows = [
        ["王芳", world.a.village],
        ["", world.a.village],
        ["李强", "522799999999"],
        ["一个很长很长很长很长的名字", world.a.village],
    ]
    with pytest.raises(ImportRejected) as refused:
        run(session, settings, csv_bytes(HEADERS, rows))
    located = [(e.row, e.column, e.code) for e in refused.value.errors]
    assert located == [(3, "A", "missing"), (4, "B", "bad_division"), (5, "A", "too_long")]
    assert stored(session) == []
    batch = session.get(ImportBatch, refused.value.import_id)
    assert (batch.kind, batch.status, batch.errors) == ("names", "rejected", 3)


def test_a_dry_run_writes_nothing(plugged, session, settings, world):
    outcome = run(session, settings, csv_bytes(HEADERS, [["王芳", world.a.village]]), dry_run=True)
    assert outcome.dry_run and outcome.counts == {"names": 1} and stored(session) == []
    assert outcome.preview == [{"row": "2", "姓名": "王芳", "行政区划代码": world.a.village}]


def test_its_routes_exist_in_an_app_made_with_it(plugged, db, settings, world, session):
    client = TestClient(create_app(settings, db))
    headers = bearer_headers(db, settings, "admin_a")
    template = client.get("/api/v1/imports/templates/names.csv", headers=headers)
    assert template.status_code == 200 and template.content.decode("utf-8-sig").strip() == "姓名,行政区划代码"
    body = csv_bytes(HEADERS, [["赵敏", world.a.village]])
    answer = client.post("/api/v1/imports/names", headers=headers, files={"file": ("n.csv", body, "text/csv")})
    assert answer.status_code == 200, answer.text
    assert (answer.json()["counts"], answer.json()["kind"]) == ({"names": 1}, "names")
    listed = client.get("/api/v1/imports/kinds", headers=headers).json()
    kinds = {"members": True, "cadres": True, "alerts": True, "reference_incomes": True, "names": True}
    assert {k["name"]: k["may_import"] for k in listed} == kinds
    history = client.get("/api/v1/imports?kind=names", headers=headers).json()["items"]
    assert [(b["kind"], b["status"]) for b in history] == [("names", "done")]
    assert session.scalar(select(func.count()).select_from(fake_kind.NAMES_TABLE)) == 1


def test_an_unknown_kind_is_refused_where_it_is_named(client, api):
    assert api("admin_a").get("/api/v1/imports?kind=names").status_code == 422
    with pytest.raises(NotFound):
        kinds.kind_named("names")


def test_kinds_are_plain_data(plugged):
    assert dataclasses.is_dataclass(plugged) and plugged.headers == HEADERS
